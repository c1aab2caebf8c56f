package io.checkpointd.model;

/** Where a job is in its life. See {@link JobTransitions} for the moves between them. */
public enum JobStatus {
  /** Waiting for a worker (new, resumed, or released by an instance that stopped or died). */
  QUEUED,
  /** Leased to an instance that is stepping it. */
  RUNNING,
  /** Stopped at a checkpoint by request; stays so across restarts until resumed. */
  PAUSED,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == CANCELLED;
  }
}
