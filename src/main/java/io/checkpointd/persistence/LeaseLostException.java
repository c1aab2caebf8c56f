package io.checkpointd.persistence;

/**
 * A fenced write matched no row: another instance holds the job now (or it left RUNNING), so the
 * writer must stop at once and write nothing more.
 */
public class LeaseLostException extends RuntimeException {

  public LeaseLostException(Lease lease) {
    super("lease of job " + lease.jobId() + " at epoch " + lease.epoch() + " is no longer held by " + lease.owner());
  }
}
