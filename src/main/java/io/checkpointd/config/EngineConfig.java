package io.checkpointd.config;

import io.smallrye.config.WithDefault;

/** {@code checkpointd.engine.*}, read through {@link CheckpointdConfig#engine()}. */
public interface EngineConfig {
  /** Whether this instance runs jobs; false makes it serve the API only. */
  @WithDefault("true")
  boolean enabled();
}
