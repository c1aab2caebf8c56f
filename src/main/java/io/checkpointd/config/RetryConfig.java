package io.checkpointd.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code checkpointd.retry.*}, read through {@link CheckpointdConfig#retry()}. */
public interface RetryConfig {
  /** Attempts a job gets before it is FAILED, unless its request says otherwise. */
  @WithDefault("3")
  int maxAttempts();

  /** Wait before the first retry; doubled for each further one. */
  @WithDefault("1s")
  Duration initialBackoff();

  /** Longest wait between retries. */
  @WithDefault("1m")
  Duration maxBackoff();
}
