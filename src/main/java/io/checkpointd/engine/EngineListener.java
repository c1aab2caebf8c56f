package io.checkpointd.engine;

import io.checkpointd.model.Lease;

/**
 * What only the engine can tell an observer: how long things took inside it. Everything that
 * happens to a job goes through {@link io.checkpointd.event.JobEventBus} instead; this seam is for
 * the numbers that never become an event (db-scheduler's {@code SchedulerListener} plays this part
 * there). Called on engine threads: implementations must be quick and never block.
 */
public interface EngineListener {

  /** Listens to nothing: for engines built by hand in tests. */
  EngineListener NONE = new EngineListener() {};

  /** One step of a job of {@code kind} took {@code nanos}. */
  default void stepTook(String kind, long nanos) {}

  /** A claim for up to {@code asked} jobs leased {@code claimed} of them in {@code nanos}. */
  default void claimTook(int asked, int claimed, long nanos) {}

  /** A runner of this instance stopped because another worker holds its job now. */
  default void leaseLost(Lease lease, String kind) {}
}
