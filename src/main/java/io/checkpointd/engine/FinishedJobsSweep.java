package io.checkpointd.engine;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.persistence.RetentionStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Removes finished jobs past {@code checkpointd.retention.finished-jobs}: their results, events
 * and checkpoints would otherwise be kept forever. Every instance sweeps; they share the work.
 */
@ApplicationScoped
public class FinishedJobsSweep {

  static final Duration MIN_RETENTION = Duration.ofMinutes(1);
  static final Duration MAX_RETENTION = Duration.ofDays(3650);
  static final int MAX_BATCH = 10_000;
  // Batches per sweep at most: a backlog (retention just shortened) drains over several sweeps
  // instead of holding the engine's connection for minutes.
  private static final int MAX_BATCHES = 100;
  private static final Logger LOG = Logger.getLogger(FinishedJobsSweep.class);

  private final RetentionStore store;
  private final CheckpointdConfig config;

  FinishedJobsSweep(RetentionStore store, CheckpointdConfig config) {
    this.store = store;
    this.config = config;
  }

  /** @return how many jobs were deleted */
  public int sweep() {
    Duration keep = config.retention().finishedJobs();
    if (keep.isZero()) {
      return 0; // kept forever
    }
    keep = keep.compareTo(MIN_RETENTION) < 0 ? MIN_RETENTION : keep.compareTo(MAX_RETENTION) > 0 ? MAX_RETENTION : keep;
    int batch = Math.max(1, Math.min(config.retention().batchSize(), MAX_BATCH));
    int deleted = 0;
    for (int i = 0; i < MAX_BATCHES; i++) {
      int n = store.deleteFinished(keep, batch);
      deleted += n;
      if (n < batch) {
        break;
      }
    }
    if (deleted > 0) {
      LOG.infof("Deleted %d jobs that finished more than %s ago (checkpointd.retention.finished-jobs)", deleted, keep);
    }
    return deleted;
  }
}
