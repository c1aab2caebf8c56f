package io.checkpointd.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code checkpointd.retention.*}, read through {@link CheckpointdConfig#retention()}. */
public interface RetentionConfig {
  /**
   * How long a finished job (SUCCEEDED, FAILED or CANCELLED) is kept, with its result, events and
   * checkpoints, after it finished; then it is deleted. {@code 0} keeps finished jobs forever.
   * At least 1 minute (a shorter one is raised to it), at most 3650 days.
   */
  @WithDefault("30d")
  Duration finishedJobs();

  /** Jobs deleted per statement (hard cap 10,000): small batches never hold many row locks. */
  @WithDefault("500")
  int batchSize();

  /** How often each instance looks for finished jobs past their retention. */
  @WithDefault("1m")
  Duration interval();
}
