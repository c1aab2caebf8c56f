package io.checkpointd.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.config.InstanceId;
import io.checkpointd.engine.checkpoint.CheckpointCodec;
import io.checkpointd.engine.checkpoint.StateBytesQuota;
import io.checkpointd.engine.checkpoint.CheckpointLoader;
import io.checkpointd.engine.checkpoint.EveryIterationsOrSeconds;
import io.checkpointd.engine.lease.SessionLiveness;
import io.checkpointd.kind.Computation;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.kind.JobKinds;
import io.checkpointd.model.ClaimedJob;
import io.checkpointd.model.LeaseLostException;
import io.checkpointd.model.UnreadableStateException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The in-process worker of one instance: claims queued jobs of the built-in kinds up to {@code
 * checkpointd.workers}, runs each with a {@link JobRunner} on a small shared step pool, and on
 * shutdown checkpoints and releases every job it holds.
 */
@ApplicationScoped
public class JobExecutor {

  private static final Logger LOG = Logger.getLogger(JobExecutor.class);

  private final WorkerProtocol protocol;
  private final JobKinds kinds;
  private final CheckpointLoader loader;
  private final CheckpointdConfig config;
  private final InstanceId instance;
  private final ObjectMapper mapper;
  private final RunnerServices services;
  private final SessionLiveness liveness;
  private final EngineListener listener;
  private final java.util.concurrent.Executor loops;
  private final Set<JobRunner> running = ConcurrentHashMap.newKeySet();
  private volatile boolean accepting;

  JobExecutor(
      WorkerProtocol protocol,
      JobKinds kinds,
      CheckpointLoader loader,
      CheckpointdConfig config,
      InstanceId instance,
      Clock clock,
      ObjectMapper mapper,
      EngineThreads threads,
      SessionLiveness liveness,
      StateBytesQuota stateQuota,
      EngineListener listener) {
    this.protocol = protocol;
    this.liveness = liveness;
    this.kinds = kinds;
    this.loader = loader;
    this.config = config;
    this.instance = instance;
    this.mapper = mapper;
    CheckpointCodec codec = new CheckpointCodec(config.checkpoints().maxBytes(), config.checkpoints().compressAbove());
    this.loops = threads.loops();
    this.listener = listener;
    this.services = new RunnerServices(protocol, codec, loader, clock, threads.steps(), config, stateQuota, listener);
  }

  public void startAccepting() {
    accepting = true;
  }

  /** Claims as many queued jobs as there are free workers and starts them. */
  public synchronized void claimAvailable() {
    // Without its liveness session, survivors may take this instance's jobs at any moment: claim
    // nothing until it is back.
    if (!accepting || !liveness.mayClaim()) {
      return;
    }
    int free = config.workers() - running.size();
    long started = System.nanoTime();
    List<ClaimedJob> claimed = protocol.claim(instance.value(), kinds.builtInNames(), free, protocol.defaultTtl());
    listener.claimTook(free, claimed.size(), System.nanoTime() - started);
    claimed.forEach(this::start);
  }

  private void start(ClaimedJob job) {
    JobLogContext.enter(job.lease(), job.kind());
    try {
      startRunner(job);
    } finally {
      JobLogContext.leave();
    }
  }

  private void startRunner(ClaimedJob job) {
    JobRunner runner;
    try {
      Computation<?, ?> computation = kinds.computation(job.kind(), mapper.readTree(job.params()));
      Optional<CheckpointLoader.Restored> restored = loader.latest(job.id(), computation);
      Object state = restored.map(CheckpointLoader.Restored::state).orElseGet(computation::initialState);
      restored.ifPresent(r -> LOG.infof(
          "Job %s resumed from checkpoint %d at iteration %d", job.id(), r.seq(), computation.iteration(r.state())));
      runner = new JobRunner(job.lease(), job.tenant(), computation, state, job.lastCheckpointSeq(), policyOf(job),
          job.attempts(), job.maxAttempts(), job.startedAt().toInstant().plus(Limits.maxRuntime(config)), services);
    } catch (InvalidParamsException | UnreadableStateException e) {
      // The job's own fault (its kind is gone after a redeploy, its state cannot be read): it
      // fails alone; the executor and the other jobs go on.
      LOG.errorf("Job %s cannot start: %s", job.id(), e.getMessage());
      finishQuietly(() -> protocol.fail(job.lease(), "cannot start: " + e.getMessage(), job.attempts()));
      return;
    } catch (LeaseLostException e) {
      return;
    } catch (Exception e) {
      // Not the job's fault (the database, most likely): it goes back to the queue untouched.
      LOG.warnf("Job %s could not start here (%s); queued again", job.id(), e.getMessage());
      finishQuietly(() -> protocol.release(job.lease(), 0, "as it could not start: " + e.getClass().getSimpleName()));
      return;
    }
    running.add(runner);
    protocol.hold(runner);
    runner.finished().whenComplete((ignored, error) -> {
      running.remove(runner);
      // a free worker: claim on the loop thread, not on the step thread that finished the job
      loops.execute(new RunAndLogErrors("claim", this::claimAvailable));
    });
    LOG.debugf("Job %s started at iteration %d, epoch %d", job.id(), runner.iteration(), job.lease().epoch());
    runner.start();
  }

  private static void finishQuietly(Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      LOG.warnf("Could not record it (%s); the lease will expire instead", e.getMessage());
    }
  }

  private static EveryIterationsOrSeconds policyOf(ClaimedJob job) {
    return new EveryIterationsOrSeconds(job.checkpointEveryIterations(), job.checkpointEverySeconds());
  }

  /**
   * Stops taking work, then has every running job checkpoint at its current iteration and release
   * its lease, waiting up to the grace period.
   */
  public void drain() {
    synchronized (this) {
      // Under the claim's lock: a claim in flight has started its runners (and they are stopped
      // below), and none starts after this.
      accepting = false;
    }
    List<CompletableFuture<Void>> stopped =
        running.stream().peek(r -> r.stop(StopReason.SHUTDOWN)).map(JobRunner::finished).toList();
    try {
      CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new))
          .get(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
      LOG.infof("Checkpointed and released %d running jobs", stopped.size());
    } catch (Exception e) {
      LOG.warnf("Shutdown grace ran out with %d jobs still running; their leases will expire", running.size());
    }
  }

  public int activeCount() {
    return running.size();
  }
}
