package io.checkpointd.model;

/**
 * A state too large to checkpoint, by the global cap or by its tenant's state-bytes quota: the job
 * fails with this message (an HTTP worker gets a 413), the service goes on.
 */
public class CheckpointTooLargeException extends RuntimeException {

  private final String quota;
  private final long limit;

  public CheckpointTooLargeException(long bytes, long maxBytes) {
    this(null, maxBytes, "checkpoint state of " + bytes + " bytes (after compression) exceeds the cap of " + maxBytes
        + " bytes (checkpointd.checkpoints.max-bytes)");
  }

  private CheckpointTooLargeException(String quota, long limit, String message) {
    super(message);
    this.quota = quota;
    this.limit = limit;
  }

  /** Beyond the tenant's {@code state-bytes} quota, which is below the global cap. */
  public static CheckpointTooLargeException overQuota(long bytes, String tenant, long quota) {
    return new CheckpointTooLargeException("state-bytes", quota, "checkpoint state of " + bytes
        + " bytes (after compression) exceeds tenant " + tenant + "'s quota of " + quota
        + " bytes (checkpointd.quotas.state-bytes)");
  }

  /** {@code state-bytes} when a tenant's quota refused the state; null for the global cap. */
  public String quota() {
    return quota;
  }

  /** The bytes the state may have at most. */
  public long limit() {
    return limit;
  }
}
