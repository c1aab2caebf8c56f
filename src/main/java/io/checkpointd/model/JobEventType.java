package io.checkpointd.model;

/** What can happen to a job. Durable ones are stored in its history; the others only stream past. */
public enum JobEventType {
  CREATED,
  /** A new job was forked from one of this job's checkpoints (the detail names it). */
  FORKED,
  /** Set back to an earlier checkpoint; newer ones were set aside. */
  REWOUND,
  /** Claimed by a worker (an instance, or an external worker over HTTP). */
  STARTED,
  /** A checkpoint committed; streamed, and summed up in the history as one counted entry. */
  CHECKPOINTED(false),
  /** Where a running job has got to, as of a heartbeat; streamed only. */
  PROGRESS(false),
  PAUSE_REQUESTED,
  PAUSED,
  RESUMED,
  CANCEL_REQUESTED,
  CANCELLED,
  /** Given back by its worker (shutdown, SIGTERM of an external worker): queued again at once. */
  RELEASED,
  /** Taken back from a worker that died or stopped renewing its lease. */
  RECOVERED,
  RETRIED,
  /** A write from a worker whose lease had moved on was refused: a zombie write prevented. */
  WRITE_REFUSED,
  FAILED,
  SUCCEEDED;

  private final boolean durable;

  JobEventType() {
    this(true);
  }

  JobEventType(boolean durable) {
    this.durable = durable;
  }

  /** Whether the event is stored in the job's history (and so crosses instances). */
  public boolean isDurable() {
    return durable;
  }

  /** Whether the job may be queued after this event: idle workers look for work when they see it. */
  public boolean mayQueue() {
    return this == CREATED || this == RESUMED || this == RECOVERED || this == RELEASED || this == RETRIED;
  }
}
