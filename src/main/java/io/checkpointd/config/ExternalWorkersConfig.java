package io.checkpointd.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code checkpointd.external-workers.*}, read through {@link CheckpointdConfig#externalWorkers()}. */
public interface ExternalWorkersConfig {
  /** Longest a claim waits for a job (its {@code waitSeconds} is capped here; hard cap 300 s). */
  @WithDefault("60s")
  Duration maxWait();

  /** Shortest lease TTL a worker may ask for; shorter asks are refused. */
  @WithDefault("2s")
  Duration minLeaseTtl();

  /** Longest lease TTL a worker may ask for (hard cap 1 h): a dead worker's job waits this long. */
  @WithDefault("10m")
  Duration maxLeaseTtl();
}
