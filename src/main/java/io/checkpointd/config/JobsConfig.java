package io.checkpointd.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code checkpointd.jobs.*}, read through {@link CheckpointdConfig#jobs()}. */
public interface JobsConfig {
  /**
   * Longest a job may run, counted from its first start (pauses and retries included); past it
   * its runner FAILS it. Hard cap 30 days.
   */
  @WithDefault("24h")
  Duration maxRuntime();
}
