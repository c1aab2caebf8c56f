package io.checkpointd.engine;

/** Why a runner stops before its job is done. */
public enum StopReason {
  /** The instance is shutting down: checkpoint at the current iteration, release the lease. */
  SHUTDOWN,
  /** A client asked for a pause: checkpoint at the current iteration, become PAUSED. */
  PAUSE,
  /** A client asked for a cancel: checkpoint at the current iteration, become CANCELLED. */
  CANCEL,
  /** Another instance holds the job now: write nothing more. */
  LEASE_LOST
}
