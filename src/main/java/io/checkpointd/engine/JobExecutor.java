package io.checkpointd.engine;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.config.InstanceId;
import io.checkpointd.engine.checkpoint.CheckpointCodec;
import io.checkpointd.engine.checkpoint.CheckpointLoader;
import io.checkpointd.engine.checkpoint.CheckpointWriter;
import io.checkpointd.engine.checkpoint.EveryIterationsOrSeconds;
import io.checkpointd.kind.Computation;
import io.checkpointd.kind.JobKinds;
import io.checkpointd.persistence.ClaimedJob;
import io.checkpointd.persistence.JobRepository;
import io.checkpointd.persistence.Lease;
import io.checkpointd.persistence.LeaseLostException;
import io.checkpointd.persistence.RequestedStop;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The worker side of one instance: claims queued jobs up to {@code checkpointd.workers}, runs each
 * with a {@link JobRunner} on a small shared step pool, and on shutdown checkpoints and releases
 * every job it holds.
 */
@ApplicationScoped
public class JobExecutor {

  private static final Logger LOG = Logger.getLogger(JobExecutor.class);

  private final JobRepository jobs;
  private final JobKinds kinds;
  private final CheckpointLoader loader;
  private final CheckpointdConfig config;
  private final InstanceId instance;
  private final ObjectMapper mapper;
  private final RunnerServices services;
  private final java.util.concurrent.Executor loops;
  private final Map<UUID, JobRunner> running = new ConcurrentHashMap<>();
  private volatile boolean accepting;

  JobExecutor(
      JobRepository jobs,
      CheckpointWriter writer,
      JobKinds kinds,
      CheckpointLoader loader,
      CheckpointdConfig config,
      InstanceId instance,
      Clock clock,
      ObjectMapper mapper,
      EngineThreads threads) {
    this.jobs = jobs;
    this.kinds = kinds;
    this.loader = loader;
    this.config = config;
    this.instance = instance;
    this.mapper = mapper;
    CheckpointCodec codec = new CheckpointCodec(config.checkpoints().maxBytes(), config.checkpoints().compressAbove());
    this.loops = threads.loops();
    this.services = new RunnerServices(jobs, writer, codec, loader, clock, threads.steps(), config);
  }

  public void startAccepting() {
    accepting = true;
  }

  /** Claims as many queued jobs as there are free workers and starts them. */
  public synchronized void claimAvailable() {
    if (!accepting) {
      return;
    }
    int free = config.workers() - running.size();
    List<ClaimedJob> claimed = jobs.claim(instance.value(), free, config.lease().ttl());
    for (ClaimedJob job : claimed) {
      start(job);
    }
  }

  private void start(ClaimedJob job) {
    Lease lease = new Lease(job.id(), instance.value(), job.epoch());
    JobRunner runner;
    try {
      Computation<?, ?> computation = kinds.computation(job.kind(), mapper.readTree(job.params()));
      Optional<CheckpointLoader.Restored> restored = loader.latest(job.id(), computation);
      Object state = restored.map(CheckpointLoader.Restored::state).orElseGet(computation::initialState);
      restored.ifPresent(r -> LOG.infof(
          "Job %s resumed from checkpoint %d at iteration %d", job.id(), r.seq(), computation.iteration(r.state())));
      runner = new JobRunner(lease, computation, state, job.lastCheckpointSeq(), policyOf(job), job.attempts(), job.maxAttempts(), services);
    } catch (LeaseLostException e) {
      return;
    } catch (Exception e) {
      // A job this service cannot start (unknown kind after a redeploy, unreadable state) fails
      // alone; the executor and the other jobs go on.
      LOG.errorf("Job %s cannot start: %s", job.id(), e.getMessage());
      failQuietly(lease, "cannot start: " + e.getMessage(), job.attempts());
      return;
    }
    running.put(job.id(), runner);
    runner.finished().whenComplete((ignored, error) -> {
      running.remove(job.id());
      // a free worker: claim on the loop thread, not on the step thread that finished the job
      loops.execute(new RunAndLogErrors("claim", this::claimAvailable));
    });
    LOG.debugf("Job %s started at iteration %d, epoch %d", job.id(), runner.iteration(), job.epoch());
    runner.start();
  }

  private void failQuietly(Lease lease, String error, int attempts) {
    try {
      jobs.fail(lease, error, attempts);
    } catch (RuntimeException e) {
      LOG.warnf("Job %s: could not record its failure: %s", lease.jobId(), e.getMessage());
    }
  }

  private static EveryIterationsOrSeconds policyOf(ClaimedJob job) {
    return new EveryIterationsOrSeconds(job.checkpointEveryIterations(), job.checkpointEverySeconds());
  }

  /** Where each job running here has got to, with the lease it runs under. */
  public List<JobRepository.Progress> progress() {
    return running.values().stream()
        .map(r -> new JobRepository.Progress(r.lease(), r.iteration(), r.rate()))
        .toList();
  }

  /** Passes a client's pause or cancel to the job's runner, if it runs here. */
  public void requested(UUID jobId, RequestedStop stop) {
    JobRunner runner = running.get(jobId);
    if (runner != null) {
      runner.stop(stop == RequestedStop.PAUSE ? StopReason.PAUSE : StopReason.CANCEL);
    }
  }

  /** Stops the runner of a job whose lease this instance lost. */
  public void leaseLost(UUID jobId) {
    JobRunner runner = running.get(jobId);
    if (runner != null) {
      LOG.warnf("Job %s: lease was lost, stopping it here", jobId);
      runner.stop(StopReason.LEASE_LOST);
    }
  }

  /**
   * Stops taking work, then has every running job checkpoint at its current iteration and release
   * its lease, waiting up to the grace period.
   */
  public void drain() {
    accepting = false;
    List<CompletableFuture<Void>> stopped =
        running.values().stream()
            .peek(r -> r.stop(StopReason.SHUTDOWN))
            .map(JobRunner::finished)
            .toList();
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
