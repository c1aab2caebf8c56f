package io.checkpointd.model;

/**
 * A checkpoint whose seq is not newer than the job's newest: the lease still holds, but the write
 * was skipped so that a checkpoint sequence never goes backwards. For an in-process owner that
 * cannot happen unless the job changed hands, so it stops like on a lost lease; an external worker
 * gets it when it resends a checkpoint that was already stored.
 */
public class CheckpointNotNewerException extends LeaseLostException {

  public CheckpointNotNewerException(Lease lease, long seq) {
    super(lease, "checkpoint " + seq + " of job " + lease.jobId() + " is not newer than the newest one stored");
  }
}
