package io.checkpointd.job;

/** What can happen to a job, as {@code GET /jobs/{id}/events} lists it. */
public enum JobEventType {
  CREATED,
  STARTED,
  CHECKPOINTED,
  PAUSE_REQUESTED,
  PAUSED,
  RESUMED,
  CANCEL_REQUESTED,
  CANCELLED,
  RELEASED,
  RECOVERED,
  RETRIED,
  FAILED,
  SUCCEEDED
}
