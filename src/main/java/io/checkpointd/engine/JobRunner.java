package io.checkpointd.engine;

import io.checkpointd.engine.checkpoint.CheckpointLoader;
import io.checkpointd.engine.checkpoint.CheckpointPolicy;
import io.checkpointd.engine.lease.LeaseHolder;
import io.checkpointd.kind.Computation;
import io.checkpointd.model.CheckpointTooLargeException;
import io.checkpointd.model.Lease;
import io.checkpointd.model.LeaseLostException;
import io.checkpointd.model.RequestedStop;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
/**
 * Runs one leased job in this process, as a client of the {@link WorkerProtocol}: step, checkpoint
 * when the policy says so, retry a failed step from the last checkpoint, honour a stop at the next
 * iteration boundary.
 *
 * <p>A runner holds no thread of its own. It runs in short bursts on the shared step pool and, when
 * its kind asks for a pause between steps (or a retry waits out its backoff), schedules its next
 * burst instead of sleeping, so thousands of jobs can wait at once. Bursts of one runner never
 * overlap: each burst schedules the next one, and {@link #stop} only ever replaces a burst that has
 * not started.
 *
 * <p>Whatever a burst throws, even an {@link Error}, the runner finishes ({@link RunnerEndings}):
 * its worker slot is freed and its lease is no longer renewed, so the job is failed, released, or
 * taken over after the TTL.
 */
final class JobRunner implements Runnable, LeaseHolder {

  private static final Logger LOG = Logger.getLogger(JobRunner.class);
  // Why: a kind without a pace would otherwise hold a step thread until it finishes.
  private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final Lease lease;
  private final Computation<?, ?> computation;
  private final RunnerCheckpoints checkpoints;
  private final RunnerEndings endings;
  private final RunnerServices services;
  private final int maxAttempts;
  private final RetryBackoff backoff;
  private final Instant startedAt;
  private final long startIteration;
  private final String kind;
  // The job's first start (on any worker) plus the maximum runtime; past it the job is FAILED.
  private final Instant runtimeDeadline;

  private final BurstSchedule schedule;
  private Object state;
  private volatile long iteration;
  private int attempts;

  JobRunner(
      Lease lease, String tenant, Computation<?, ?> computation, Object state, long lastSeq, CheckpointPolicy policy,
      int attempts, int maxAttempts, Instant runtimeDeadline, RunnerServices services) {
    this.runtimeDeadline = runtimeDeadline;
    this.lease = lease;
    this.computation = computation;
    this.services = services;
    this.attempts = attempts;
    this.maxAttempts = maxAttempts;
    this.backoff = new RetryBackoff(services.config().retry().initialBackoff(), services.config().retry().maxBackoff());
    this.state = state;
    this.iteration = computation.iteration(state);
    this.checkpoints = new RunnerCheckpoints(lease, tenant, policy, lastSeq, iteration, services);
    this.startedAt = services.clock().instant();
    this.startIteration = iteration;
    this.kind = computation.kind().name();
    this.schedule = new BurstSchedule(this, services.steps());
    this.endings = new RunnerEndings(this, lease, kind, computation, checkpoints, schedule, services);
  }

  @Override
  public Lease lease() {
    return lease;
  }

  @Override
  public long iteration() {
    return iteration;
  }

  @Override
  public long durableIteration() {
    return checkpoints.durableIteration();
  }

  @Override
  public Instant durableSince() {
    return checkpoints.durableSince();
  }

  /** Iterations per second since this runner started, or null before there is a meaningful figure. */
  @Override
  public Double rate() {
    double seconds = Duration.between(startedAt, services.clock().instant()).toMillis() / 1000.0;
    return seconds < 0.5 ? null : (iteration - startIteration) / seconds;
  }

  CompletableFuture<Void> finished() {
    return endings.finished();
  }

  @Override
  public void stopRequested(RequestedStop stop) {
    stop(stop == RequestedStop.PAUSE ? StopReason.PAUSE : StopReason.CANCEL);
  }

  @Override
  public void leaseLost() {
    endings.leaseLost();
    JobLogContext.enter(lease, kind);
    try {
      LOG.warnf("Job %s: lease was lost, stopping it here", lease.jobId());
    } finally {
      JobLogContext.leave();
    }
    stop(StopReason.LEASE_LOST);
  }

  void start() {
    schedule.after(computation.isDone(state) ? Duration.ZERO : computation.pace());
  }

  /** Asks the job to stop at the next iteration boundary (see {@link BurstSchedule#stop}). */
  void stop(StopReason reason) {
    schedule.stop(reason);
  }

  @Override
  public synchronized void run() {
    if (endings.finished().isDone()) {
      return;
    }
    JobLogContext.enter(lease, kind);
    try {
      burst();
    } finally {
      JobLogContext.leave();
    }
  }

  private void burst() {
    try {
      long deadline = System.nanoTime() + BURST_NANOS;
      checkpoints.settleIfDone(); // a write that failed stops the job here
      if (schedule.stopReason() == null && checkpoints.isDue(iteration) && !checkpoints.submit(computation, state, this::wake)) {
        return; // woken before the write we were parked on committed
      }
      while (true) {
        if (schedule.stopReason() != null) {
          if (endings.honourStop(state, iteration)) {
            return;
          }
          continue;
        }
        if (computation.isDone(state)) {
          endings.succeed(state, iteration);
          return;
        }
        if (services.clock().instant().isAfter(runtimeDeadline)) {
          failOverRuntime();
          return;
        }
        if (!step()) {
          return;
        }
        if (computation.isDone(state)) {
          endings.succeed(state, iteration);
          return;
        }
        if (checkpoints.isDue(iteration) && !checkpoints.submit(computation, state, this::wake)) {
          return; // parked until the previous checkpoint commits
        }
        Duration pace = computation.pace();
        if (!pace.isZero() || System.nanoTime() > deadline) {
          schedule.after(pace);
          return;
        }
      }
    } catch (LeaseLostException e) {
      endings.leaseLost();
      LOG.infof("Job %s: lease lost at epoch %d, stopping without further writes", lease.jobId(), lease.epoch());
      endings.finish();
    } catch (CheckpointTooLargeException e) {
      endings.failTooLarge(e, attempts);
    } catch (Throwable e) {
      // The database failed us (outage), a bug of ours, or the JVM (an Error). Write nothing more:
      // the lease will expire and the job resumes from its last checkpoint, here or elsewhere.
      LOG.errorf(e, "Job %s: giving up its lease after an unexpected error", lease.jobId());
      endings.finish();
    }
  }

  /** Takes one step; false when it failed, and the runner has scheduled a retry or failed the job. */
  private boolean step() {
    Object nextState;
    long started = System.nanoTime();
    try {
      nextState = computation.step(state);
      services.listener().stepTook(kind, System.nanoTime() - started);
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      // The kind's own fault (a StackOverflowError or a missing class too): an attempt, retried
      // from the last checkpoint. Other Errors (out of memory) are the process's, not the job's.
      stepFailed(e);
      return false;
    }
    state = nextState;
    iteration = computation.iteration(state);
    return true;
  }

  private void stepFailed(Throwable e) {
    attempts++;
    String error = "step " + (iteration + 1) + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    if (attempts >= maxAttempts) {
      endings.failForGood(error + " (attempt " + attempts + " of " + maxAttempts + ")", attempts);
      return;
    }
    checkpoints.await();
    Duration wait = backoff.afterAttempt(attempts);
    LOG.infof("Job %s: %s; retry %d of %d in %d ms", lease.jobId(), error, attempts, maxAttempts - 1, wait.toMillis());
    services.protocol().retrying(lease, attempts, error, wait);
    // Why from the checkpoint and not the state in memory: a step that threw may have been
    // half-done, and the checkpoint is the last state known to be good.
    state = services.loader().latest(lease.jobId(), computation)
        .map(CheckpointLoader.Restored::state)
        .orElseGet(computation::initialState);
    iteration = computation.iteration(state);
    checkpoints.restartFrom(iteration);
    schedule.after(wait);
  }

  /**
   * Past the maximum runtime: FAILED for good (not retried: another attempt would be over it
   * too). Its checkpoints stay, so an operator can see how far it got.
   */
  private void failOverRuntime() {
    endings.failForGood("exceeded the maximum runtime of " + Limits.maxRuntime(services.config())
        + " (checkpointd.jobs.max-runtime) at iteration " + iteration, attempts);
  }

  private void wake() {
    schedule.now();
  }

  @Override
  public String toString() {
    return "JobRunner[" + lease.jobId() + " @" + iteration + "]";
  }
}
