package io.checkpointd.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code checkpointd.api.*}, read through {@link CheckpointdConfig#api()}. */
public interface ApiConfig {
  /**
   * Longest a statement of an API request may run (PostgreSQL {@code statement_timeout} on the
   * API pool's sessions; hard cap 5 min). A request whose statement is cancelled gets a 503.
   */
  @WithDefault("10s")
  Duration statementTimeout();

  /**
   * Largest state, in bytes of JSON, that {@code GET /jobs/{id}/checkpoints/latest} renders
   * (hard cap 64 MiB); a larger one answers a 413 problem pointing at the checkpoint metadata.
   */
  @WithDefault("4194304")
  long maxStateBytesShown();

  /**
   * Connections of the non-blocking reads of {@code GET /jobs/{id}} (hard cap 64), beside the
   * API's JDBC pool ({@code quarkus.datasource.jdbc.max-size}). Each carries many reads at once.
   */
  @WithDefault("4")
  int readConnections();
}
