package io.checkpointd.engine;

import io.checkpointd.engine.lease.LeaseHolder;
import io.checkpointd.kind.Computation;
import io.checkpointd.model.CheckpointTooLargeException;
import io.checkpointd.model.Lease;
import io.checkpointd.model.RequestedStop;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * How a runner's job ends, and the runner with it: succeeded, failed for good, or stopped (released
 * for shutdown, paused, cancelled), each recorded through the {@link WorkerProtocol} once the
 * checkpoint in flight has committed; or given up, writing nothing more. Whichever way, the runner
 * {@link #finish}es: its lease is no longer renewed and {@link #finished} completes, which frees its
 * worker slot. Used only under the runner's monitor, but for {@link #leaseLost}.
 */
final class RunnerEndings {

  // Under the runner's name: these are its lines, logged so before they had a class of their own.
  private static final Logger LOG = Logger.getLogger(JobRunner.class);

  private final LeaseHolder runner;
  private final Lease lease;
  private final String kind;
  private final Computation<?, ?> computation;
  private final RunnerCheckpoints checkpoints;
  private final BurstSchedule schedule;
  private final RunnerServices services;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  // Another worker holds the job now (the heartbeat said so, or a write was refused): counted once.
  private volatile boolean leaseLost;

  RunnerEndings(
      LeaseHolder runner, Lease lease, String kind, Computation<?, ?> computation, RunnerCheckpoints checkpoints,
      BurstSchedule schedule, RunnerServices services) {
    this.runner = runner;
    this.lease = lease;
    this.kind = kind;
    this.computation = computation;
    this.checkpoints = checkpoints;
    this.schedule = schedule;
    this.services = services;
  }

  CompletableFuture<Void> finished() {
    return finished;
  }

  /** Notes that another worker holds the job now; the runner's finish counts it. */
  void leaseLost() {
    leaseLost = true;
  }

  void succeed(Object state, long iteration) {
    // its checkpoints are deleted on success: none may land after that
    checkpoints.await();
    services.protocol().succeed(lease, iteration, computation.result(state).toString());
    LOG.infof("Job %s succeeded after %d iterations", lease.jobId(), iteration);
    finish();
  }

  void failForGood(String error, int attempts) {
    checkpoints.await();
    LOG.warnf("Job %s failed for good: %s", lease.jobId(), error);
    services.protocol().fail(lease, error, attempts);
    finish();
  }

  /** A state too large to checkpoint: FAILED, and the runner finishes even if that cannot be recorded. */
  void failTooLarge(CheckpointTooLargeException e, int attempts) {
    LOG.warnf("Job %s: %s", lease.jobId(), e.getMessage());
    try {
      services.protocol().fail(lease, e.getMessage(), attempts);
    } catch (RuntimeException | Error failed) {
      LOG.warnf("Job %s: could not record its failure (%s); its lease will expire", lease.jobId(), failed.getMessage());
    } finally {
      finish();
    }
  }

  /** Acts on the stop asked for; true when the runner is done, false when it goes on running. */
  boolean honourStop(Object state, long iteration) {
    StopReason reason = schedule.stopReason();
    if (reason == StopReason.LEASE_LOST) {
      finish();
      return true;
    }
    // The sketch's Ctrl+C handler: save exactly where we are, so that nothing is lost.
    if (iteration != checkpoints.iteration()) {
      checkpointNow(state);
    } else {
      checkpoints.await();
    }
    if (reason == StopReason.SHUTDOWN) {
      services.protocol().release(lease, iteration, "for shutdown");
      LOG.infof("Job %s: checkpointed at iteration %d and released for shutdown", lease.jobId(), iteration);
      finish();
      return true;
    }
    RequestedStop requested = reason == StopReason.PAUSE ? RequestedStop.PAUSE : RequestedStop.CANCEL;
    if (services.protocol().stop(lease, requested, iteration)) {
      LOG.infof("Job %s: %s at iteration %d", lease.jobId(), reason == StopReason.PAUSE ? "paused" : "cancelled", iteration);
      finish();
      return true;
    }
    // The request was withdrawn (a resume cleared a pending pause) and we still hold the job.
    schedule.withdraw(reason);
    return false;
  }

  /** A checkpoint at the current iteration, committed before this returns. */
  private void checkpointNow(Object state) {
    checkpoints.await();
    checkpoints.submit(computation, state, schedule::now);
    checkpoints.await();
  }

  /**
   * The runner is done: its lease no longer renewed, its slot freed. Called alone when it gives up
   * and writes nothing more (its lease lost, an unexpected error).
   */
  void finish() {
    services.protocol().drop(runner);
    if (finished.complete(null) && leaseLost) {
      services.listener().leaseLost(lease, kind);
    }
  }
}
