package io.checkpointd.model;

/** A stop a client asked for, stored on the job row until the owner honours it. */
public enum RequestedStop {
  PAUSE,
  CANCEL;

  public static RequestedStop of(String column) {
    return column == null ? null : valueOf(column);
  }

  /** The status a job takes when its owner honours this stop. */
  public JobStatus status() {
    return this == PAUSE ? JobStatus.PAUSED : JobStatus.CANCELLED;
  }

  /** The event recorded when the stop is honoured. */
  public JobEventType honoured() {
    return this == PAUSE ? JobEventType.PAUSED : JobEventType.CANCELLED;
  }
}
