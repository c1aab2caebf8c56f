package io.checkpointd.engine;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.persistence.RecoveryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Bounds every job's cost by {@code checkpointd.jobs.max-runtime}, whoever runs it: external
 * workers are trusted with nothing, and an in-process step that never returns never reaches the
 * runner's own check. Every instance sweeps; the conditional update makes that harmless.
 */
@ApplicationScoped
public class OverRuntimeSweep {

  static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Logger LOG = Logger.getLogger(OverRuntimeSweep.class);

  private final RecoveryStore recovery;
  private final CheckpointdConfig config;

  OverRuntimeSweep(RecoveryStore recovery, CheckpointdConfig config) {
    this.recovery = recovery;
    this.config = config;
  }

  /** @return how many jobs were FAILED */
  public int sweep() {
    Duration max = Limits.maxRuntime(config);
    int failed = recovery.failOverRuntime(max, "exceeded the maximum runtime of " + max + " (checkpointd.jobs.max-runtime)");
    if (failed > 0) {
      LOG.warnf("FAILED %d jobs still running %s after their first start (checkpointd.jobs.max-runtime)", failed, max);
    }
    return failed;
  }
}
