package io.checkpointd.config;

import io.smallrye.config.WithDefault;

/** {@code checkpointd.kinds.*}, read through {@link CheckpointdConfig#kinds()}. */
public interface KindsConfig {
  /**
   * Whether the {@code counter} kind is offered: a benchmark helper whose states reach 64 MiB, so
   * off unless a benchmark or a test turns it on.
   */
  @WithDefault("false")
  boolean counterEnabled();
}
