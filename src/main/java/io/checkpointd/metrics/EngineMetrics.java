package io.checkpointd.metrics;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.engine.EngineListener;
import io.checkpointd.engine.checkpoint.CheckpointBatchListener;
import io.checkpointd.engine.lease.HeldLeases;
import io.checkpointd.engine.lease.LeaseHolder;
import io.checkpointd.event.JobEventBus;
import io.checkpointd.model.JobEvent;
import io.checkpointd.model.JobEventType;
import io.checkpointd.model.Lease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The engine's metrics at {@code /q/metrics}, named {@code checkpointd_*}. What happens to jobs is
 * counted from the {@link JobEventBus}; what only the engine knows (step, claim and commit times,
 * batch sizes, refused writes) comes through its listener seams; work at risk is read from the
 * leases held here when Prometheus scrapes. Every number is kept in lock-free meters: the engine's
 * threads pay a few atomic adds, never a lock or a query.
 */
@ApplicationScoped
public class EngineMetrics implements EngineListener, CheckpointBatchListener {

  static final String TAKEOVER_LEASE_EXPIRED = "lease_expired";
  static final String TAKEOVER_OWNER_RESTARTED = "owner_restarted";
  static final String TAKEOVER_DEAD_SESSION = "dead_session";

  private final MeterRegistry registry;
  private final JobEventBus bus;
  private final HeldLeases held;
  private final Counter checkpoints;
  private final Counter bytes;
  private final Counter zombieWrites;
  private final DistributionSummary batchSize;
  private final Timer commit;
  private final Timer claim;
  private final Map<String, Timer> stepByKind = new ConcurrentHashMap<>();

  EngineMetrics(MeterRegistry registry, JobEventBus bus, HeldLeases held, CheckpointdConfig config) {
    this.registry = registry;
    this.bus = bus;
    this.held = held;
    checkpoints = Counter.builder("checkpointd.checkpoints.committed")
        .description("Checkpoints committed by this instance's writers").register(registry);
    bytes = Counter.builder("checkpointd.checkpoints.written").baseUnit("bytes")
        .description("Bytes of checkpoint state committed by this instance").register(registry);
    zombieWrites = Counter.builder("checkpointd.zombie.writes.prevented")
        .description("Checkpoint writes refused because their lease had moved on to another worker").register(registry);
    // Buckets where the answers lie: a batch is 1 when idle and up to max-batch under load.
    batchSize = DistributionSummary.builder("checkpointd.checkpoint.batch.size")
        .description("Checkpoints per group-commit transaction")
        .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000).register(registry);
    commit = Timer.builder("checkpointd.checkpoint.commit")
        .description("Time to write and commit one checkpoint batch")
        .serviceLevelObjectives(millis(1), millis(2), millis(5), millis(10), millis(25), millis(50), millis(100),
            millis(250), millis(500), millis(1000)).register(registry);
    claim = Timer.builder("checkpointd.claim").description("Time to claim queued jobs for this instance's free workers")
        .register(registry);
    for (String cause : new String[] {TAKEOVER_LEASE_EXPIRED, TAKEOVER_OWNER_RESTARTED}) {
      takeovers(cause); // present from the start, at 0, so that rate() has a series to work on
    }
    Gauge.builder("checkpointd.work.at.risk.iterations", this, EngineMetrics::iterationsAtRisk).strongReference(true)
        .description("Iterations done since their last durable checkpoint, over the jobs running here").register(registry);
    Gauge.builder("checkpointd.work.at.risk", this, EngineMetrics::secondsAtRisk).baseUnit("seconds")
        .strongReference(true)
        .description("Seconds of work since their last durable checkpoint, summed over the jobs running here")
        .register(registry);
    Gauge.builder("checkpointd.engine.runners", held, HeldLeases::count)
        .description("Jobs running in this instance").register(registry);
    Gauge.builder("checkpointd.engine.workers", config, c -> c.engine().enabled() ? c.workers() : 0)
        .description("Jobs this instance may run at once").register(registry);
    Gauge.builder("checkpointd.engine.step.threads", config, c -> c.engine().enabled() ? c.stepThreads() : 0)
        .description("Threads executing job steps in this instance").register(registry);
  }

  void onStart(@Observes StartupEvent event) {
    bus.subscribe(this::onJobEvent);
  }

  private void onJobEvent(JobEvent event) {
    // Stored events reach every instance: a takeover is counted by each instance that saw it, so
    // the README's queries take max() across instances, not sum().
    if (event.type() == JobEventType.RECOVERED) {
      takeovers(takeoverCause(event.detail())).increment();
    }
  }

  /** The cause a RECOVERED event's detail names (RecoveryStore writes them). */
  static String takeoverCause(String detail) {
    if (detail == null) {
      return "other";
    } else if (detail.contains("restarted")) {
      return TAKEOVER_OWNER_RESTARTED;
    } else if (detail.contains("session")) {
      return TAKEOVER_DEAD_SESSION;
    } else if (detail.contains("renewing the lease")) {
      return TAKEOVER_LEASE_EXPIRED;
    }
    return "other";
  }

  private Counter takeovers(String cause) {
    return Counter.builder("checkpointd.takeovers").tag("cause", cause)
        .description("Jobs taken back from a worker presumed dead, by cause, as seen by this instance")
        .register(registry);
  }

  @Override
  public void batchDone(int committed, long written, int refusedForStaleLease, long commitNanos) {
    checkpoints.increment(committed);
    bytes.increment(written);
    if (refusedForStaleLease > 0) {
      zombieWrites.increment(refusedForStaleLease);
    }
    batchSize.record(committed + refusedForStaleLease);
    commit.record(commitNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void stepTook(String kind, long nanos) {
    stepByKind.computeIfAbsent(kind, k -> Timer.builder("checkpointd.step").tag("kind", k)
        .description("Duration of one job step, by kind").register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void claimTook(int asked, int claimed, long nanos) {
    if (asked > 0) {
      claim.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void leaseLost(Lease lease, String kind) {
    Counter.builder("checkpointd.leases.lost").tag("kind", kind)
        .description("Jobs this instance stopped running because another worker took them over")
        .register(registry).increment();
  }

  private double iterationsAtRisk() {
    long sum = 0;
    for (LeaseHolder holder : held.all()) {
      sum += Math.max(0, holder.iteration() - holder.durableIteration());
    }
    return sum;
  }

  private double secondsAtRisk() {
    Instant now = Instant.now();
    double sum = 0;
    for (LeaseHolder holder : held.all()) {
      if (holder.iteration() > holder.durableIteration()) {
        sum += Math.max(0, Duration.between(holder.durableSince(), now).toNanos() / 1e9);
      }
    }
    return sum;
  }

  private static Duration millis(long ms) {
    return Duration.ofMillis(ms);
  }
}
