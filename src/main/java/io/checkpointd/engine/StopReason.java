package io.checkpointd.engine;

/** Why a runner stops before its job is done. */
public enum StopReason {
  /** The instance is shutting down: checkpoint at the current iteration, release the lease. */
  SHUTDOWN,
  /** Another instance holds the job now: write nothing more. */
  LEASE_LOST
}
