package io.checkpointd.job;

/** A tenant's quota would be exceeded (HTTP 429): which quota, its value, and when to try again. */
public class QuotaExceededException extends RuntimeException {

  private final String quota;
  private final long limit;
  private final long retryAfterSeconds;

  public QuotaExceededException(String quota, long limit, long retryAfterSeconds, String message) {
    super(message);
    this.quota = quota;
    this.limit = limit;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public String quota() {
    return quota;
  }

  public long limit() {
    return limit;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
