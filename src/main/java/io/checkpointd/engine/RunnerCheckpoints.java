package io.checkpointd.engine;

import io.checkpointd.engine.checkpoint.CheckpointPolicy;
import io.checkpointd.engine.checkpoint.CheckpointReceipt;
import io.checkpointd.kind.Computation;
import io.checkpointd.model.CheckpointWrite;
import io.checkpointd.model.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One runner's checkpoints: their numbering, when the next is due, and the one in flight. At most
 * one is in flight, which keeps each job's checkpoints in order and bounds memory. Used only under
 * the runner's monitor.
 */
final class RunnerCheckpoints {

  private final Lease lease;
  // whose job it is: its state-bytes quota applies
  private final String tenant;
  private final CheckpointPolicy policy;
  private final RunnerServices services;
  private final Duration minInterval;
  // The seq of the job's newest checkpoint; only this runner writes the job's checkpoints now.
  private long seq;
  private long iteration;
  private Instant at;
  private CompletableFuture<CheckpointReceipt> inFlight;
  // Read by the metrics' thread: what a crash now would cost is counted from here.
  private volatile long durableIteration;
  private volatile Instant durableSince;

  RunnerCheckpoints(Lease lease, String tenant, CheckpointPolicy policy, long lastSeq, long iteration, RunnerServices services) {
    this.lease = lease;
    this.tenant = tenant;
    this.policy = policy;
    this.services = services;
    this.minInterval = Limits.minCheckpointInterval(services.config());
    this.seq = lastSeq;
    restartFrom(iteration);
  }

  /** The iteration of the newest checkpoint taken (perhaps still in flight). */
  long iteration() {
    return iteration;
  }

  /** The iteration of the newest committed checkpoint (or where the runner started from). */
  long durableIteration() {
    return durableIteration;
  }

  Instant durableSince() {
    return durableSince;
  }

  /**
   * Whether the policy asks for a checkpoint now, but never sooner than the minimum interval after
   * the last one. Why a floor here and not a refusal of fine policies at creation: a policy counts
   * iterations, and only the runner knows what one costs (2.7 ns for pi, a minute for a slow
   * squares step); "every iteration" is sound for the one and 10^8 commits for the other. A stop
   * (pause, cancel, shutdown) still checkpoints at once: that one is asked for by someone.
   */
  boolean isDue(long current) {
    Duration since = Duration.between(at, services.clock().instant());
    return since.compareTo(minInterval) >= 0 && policy.isDue(current - iteration, since);
  }

  /**
   * Snapshots {@code state} and hands it to the group-commit writer; the job goes on stepping while
   * it is written. False when the previous checkpoint is still in flight: {@code wake} runs once
   * that one completes, and the caller parks until then.
   */
  boolean submit(Computation<?, ?> computation, Object state, Runnable wake) {
    if (inFlight != null) {
      if (!inFlight.isDone()) {
        inFlight.whenComplete((receipt, error) -> wake.run());
        return false;
      }
      settle();
    }
    CheckpointWrite write = services.stateQuota().check(tenant, services.codec().encode(seq + 1, computation, state));
    inFlight = services.protocol().checkpoint(lease, write);
    inFlight.thenRun(() -> {
      // on the writer's thread, after the commit; checkpoints of one job commit in order
      durableIteration = write.iteration();
      durableSince = services.clock().instant();
    });
    seq = write.seq();
    iteration = write.iteration();
    at = services.clock().instant();
    return true;
  }

  /** Settles a write that completed, throwing what it failed with; does not wait for one in flight. */
  void settleIfDone() {
    if (inFlight != null && inFlight.isDone()) {
      settle();
    }
  }

  /** Waits for the checkpoint in flight; throws what its write failed with. */
  void await() {
    if (inFlight != null) {
      settle();
    }
  }

  /** Counts from {@code iteration} now, as if checkpointed there (after a retry reloaded it). */
  void restartFrom(long iteration) {
    this.iteration = iteration;
    this.at = services.clock().instant();
    // the state it restarts from is the newest checkpoint's (or the beginning): durable
    this.durableIteration = iteration;
    this.durableSince = at;
  }

  private void settle() {
    try {
      inFlight.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    } finally {
      inFlight = null;
    }
  }
}
