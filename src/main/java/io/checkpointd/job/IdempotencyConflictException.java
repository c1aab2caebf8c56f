package io.checkpointd.job;

/** An Idempotency-Key reused with a different request (HTTP 422). */
public class IdempotencyConflictException extends RuntimeException {

  public IdempotencyConflictException(String key, String existingJob) {
    super("Idempotency-Key '" + key + "' was already used for job " + existingJob
        + " with a different request; use a new key for a new job");
  }
}
