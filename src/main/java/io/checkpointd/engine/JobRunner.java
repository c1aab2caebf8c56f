package io.checkpointd.engine;

import io.checkpointd.engine.checkpoint.CheckpointCodec;
import io.checkpointd.engine.checkpoint.CheckpointPolicy;
import io.checkpointd.kind.Computation;
import io.checkpointd.persistence.JobRepository;
import io.checkpointd.persistence.Lease;
import io.checkpointd.persistence.LeaseLostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs one leased job: step, checkpoint when the policy says so, honour a stop at the next
 * iteration boundary.
 *
 * <p>A runner holds no thread of its own. It runs in short bursts on the shared step pool and, when
 * its kind asks for a pause between steps, schedules its next burst instead of sleeping, so
 * thousands of jobs can wait at once. Bursts of one runner never overlap: each burst schedules
 * the next one, and {@link #stop} only ever replaces a burst that has not started.
 */
final class JobRunner implements Runnable {

  private static final Logger LOG = Logger.getLogger(JobRunner.class);
  // Why: a kind without a pace would otherwise hold a step thread until it finishes.
  private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final Lease lease;
  private final Computation<?, ?> computation;
  private final CheckpointPolicy policy;
  private final RunnerServices services;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();

  private Object state;
  private volatile long iteration;
  private long checkpointedIteration;
  private Instant checkpointedAt;
  private volatile StopReason stopReason;
  private ScheduledFuture<?> next;

  JobRunner(Lease lease, Computation<?, ?> computation, Object state, CheckpointPolicy policy, RunnerServices services) {
    this.lease = lease;
    this.computation = computation;
    this.policy = policy;
    this.services = services;
    this.state = state;
    this.iteration = computation.iteration(state);
    this.checkpointedIteration = iteration;
    this.checkpointedAt = services.clock().instant();
  }

  Lease lease() {
    return lease;
  }

  long iteration() {
    return iteration;
  }

  CompletableFuture<Void> finished() {
    return finished;
  }

  void start() {
    schedule(computation.isDone(state) ? Duration.ZERO : computation.pace());
  }

  /** Asks the job to stop at the next iteration boundary; a pending wait is cut short. */
  synchronized void stop(StopReason reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
    runNowIfWaiting();
  }

  @Override
  public synchronized void run() {
    if (finished.isDone()) {
      return;
    }
    try {
      long deadline = System.nanoTime() + BURST_NANOS;
      while (true) {
        if (stopReason != null) {
          honourStop();
          return;
        }
        if (computation.isDone(state)) {
          succeed();
          return;
        }
        if (!step()) {
          return;
        }
        if (computation.isDone(state)) {
          succeed();
          return;
        }
        if (policy.isDue(iteration - checkpointedIteration, Duration.between(checkpointedAt, services.clock().instant()))) {
          checkpoint();
        }
        Duration pace = computation.pace();
        if (!pace.isZero() || System.nanoTime() > deadline) {
          schedule(stopReason != null ? Duration.ZERO : pace);
          return;
        }
      }
    } catch (LeaseLostException e) {
      LOG.infof("Job %s: lease lost at epoch %d, stopping without further writes", lease.jobId(), lease.epoch());
      finish();
    } catch (RuntimeException e) {
      // The database failed us (outage, or a bug of ours). Write nothing more: the lease will
      // expire and the job resumes from its last checkpoint, here or elsewhere.
      LOG.errorf(e, "Job %s: giving up its lease after an unexpected error", lease.jobId());
      finish();
    }
  }

  /** Takes one step; false when the step failed and the job was marked failed. */
  private boolean step() {
    Object nextState;
    try {
      nextState = computation.step(state);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      LOG.warnf("Job %s failed at iteration %d: %s", lease.jobId(), iteration, message);
      services.jobs().fail(lease, "step " + iteration + " failed: " + message);
      finish();
      return false;
    }
    state = nextState;
    iteration = computation.iteration(state);
    return true;
  }

  private void checkpoint() {
    services.checkpoints().saveCheckpoint(lease, CheckpointCodec.encode(computation, state), services.checkpointsKept());
    checkpointedIteration = iteration;
    checkpointedAt = services.clock().instant();
  }

  private void succeed() {
    services.jobs().succeed(lease, iteration, computation.result(state).toString());
    LOG.infof("Job %s succeeded after %d iterations", lease.jobId(), iteration);
    finish();
  }

  private void honourStop() {
    if (stopReason == StopReason.SHUTDOWN) {
      // The sketch's Ctrl+C handler: save exactly where we are, so the next start loses nothing.
      if (iteration != checkpointedIteration) {
        checkpoint();
      }
      services.jobs().release(lease, iteration);
      LOG.infof("Job %s: checkpointed at iteration %d and released for shutdown", lease.jobId(), iteration);
    }
    finish();
  }

  private void finish() {
    finished.complete(null);
  }

  private synchronized void schedule(Duration delay) {
    next = services.steps().schedule(this, delay.toNanos(), TimeUnit.NANOSECONDS);
    if (stopReason != null) {
      runNowIfWaiting();
    }
  }

  private void runNowIfWaiting() {
    // cancel() succeeds only for a burst that has not started, so at most one burst runs.
    if (next != null && next.getDelay(TimeUnit.NANOSECONDS) > 0 && next.cancel(false)) {
      next = services.steps().schedule(this, 0, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public String toString() {
    return "JobRunner[" + lease.jobId() + " @" + iteration + "]";
  }
}
