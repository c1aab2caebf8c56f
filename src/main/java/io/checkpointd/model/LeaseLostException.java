package io.checkpointd.model;

/**
 * A fenced write matched no row: another worker holds the job now (or it left RUNNING), so the
 * writer must stop at once and write nothing more.
 */
public class LeaseLostException extends RuntimeException {

  private final Lease lease;

  public LeaseLostException(Lease lease) {
    this(lease, "lease of job " + lease.jobId() + " at epoch " + lease.epoch() + " is no longer held by " + lease.owner());
  }

  protected LeaseLostException(Lease lease, String message) {
    super(message);
    this.lease = lease;
  }

  public Lease lease() {
    return lease;
  }
}
