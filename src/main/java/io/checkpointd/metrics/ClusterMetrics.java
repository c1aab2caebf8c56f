package io.checkpointd.metrics;

import io.checkpointd.kind.JobKinds;
import io.checkpointd.model.JobStatus;
import io.checkpointd.persistence.ClusterStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Cluster-wide job figures (jobs by status and kind, queue depth, oldest queued job), read from the
 * database. Why cached and refreshed in the background: a scrape must not wait on a query (nor run
 * one on an I/O thread), and every instance of a cluster reports the same figures, so a few seconds
 * of age cost nothing. A scrape that finds them older than {@link #MAX_AGE_NANOS} asks for a fresh
 * read; with nobody scraping, nothing is queried.
 */
@Startup // nothing injects it: its gauges must exist from the start
@ApplicationScoped
public class ClusterMetrics {

  private static final Logger LOG = Logger.getLogger(ClusterMetrics.class);
  static final long MAX_AGE_NANOS = 5_000_000_000L;

  private record Key(String status, String kind) {}

  private record Figures(Map<Key, Long> jobs, double oldestQueuedSeconds, ClusterStats.WorkAtRisk externalAtRisk, long readAt) {}

  private final ClusterStats stats;
  private final MeterRegistry registry;
  private final Set<Key> registered = ConcurrentHashMap.newKeySet();
  private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "checkpointd-cluster-metrics");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean reading = new AtomicBoolean();
  private volatile Figures figures = new Figures(Map.of(), 0, new ClusterStats.WorkAtRisk(0, 0), System.nanoTime() - 2 * MAX_AGE_NANOS);

  ClusterMetrics(ClusterStats stats, MeterRegistry registry, JobKinds kinds) {
    this.stats = stats;
    this.registry = registry;
    for (String kind : kinds.builtInNames()) {
      for (JobStatus status : JobStatus.values()) {
        register(new Key(status.name(), kind));
      }
    }
    Gauge.builder("checkpointd.queue.depth", this, m -> m.fresh().jobs().entrySet().stream()
            .filter(e -> e.getKey().status().equals(JobStatus.QUEUED.name())).mapToLong(Map.Entry::getValue).sum())
        .strongReference(true).description("Jobs waiting to be claimed, cluster-wide").register(registry);
    Gauge.builder("checkpointd.queue.oldest.age", this, m -> m.fresh().oldestQueuedSeconds()).baseUnit("seconds")
        .strongReference(true).description("How long the longest-waiting queued job has waited, cluster-wide")
        .register(registry);
    Gauge.builder("checkpointd.external.work.at.risk.iterations", this, m -> m.fresh().externalAtRisk().iterations())
        .strongReference(true)
        .description("Iterations external workers reported beyond their jobs' last durable checkpoints, cluster-wide")
        .register(registry);
    Gauge.builder("checkpointd.external.work.at.risk", this, m -> m.fresh().externalAtRisk().seconds()).baseUnit("seconds")
        .strongReference(true)
        .description("Seconds of work external workers did since their jobs' last durable checkpoints, summed, cluster-wide")
        .register(registry);
  }

  private void register(Key key) {
    if (registered.add(key)) {
      Gauge.builder("checkpointd.jobs", this, m -> m.fresh().jobs().getOrDefault(key, 0L))
          .tags("status", key.status(), "kind", key.kind()).strongReference(true)
          .description("Jobs by status and kind, cluster-wide (from the database, up to a few seconds old)")
          .register(registry);
    }
  }

  private Figures fresh() {
    Figures now = figures;
    if (System.nanoTime() - now.readAt() > MAX_AGE_NANOS && reading.compareAndSet(false, true)) {
      reader.execute(this::read);
    }
    return now;
  }

  private void read() {
    try {
      Map<Key, Long> jobs = new HashMap<>();
      stats.jobsByStatusAndKind().forEach(c -> jobs.put(new Key(c.status(), c.kind()), c.jobs()));
      figures = new Figures(jobs, stats.oldestQueuedAgeSeconds(), stats.externalWorkAtRisk(), System.nanoTime());
      jobs.keySet().forEach(this::register); // kinds of external workers appear as they are seen
    } catch (RuntimeException e) {
      LOG.debugf("Cluster job figures not refreshed: %s", e.getMessage());
    } finally {
      reading.set(false);
    }
  }

  @PreDestroy
  void stop() {
    reader.shutdownNow();
  }
}
