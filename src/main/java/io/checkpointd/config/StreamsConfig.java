package io.checkpointd.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code checkpointd.streams.*}, read through {@link CheckpointdConfig#streams()}. */
public interface StreamsConfig {
  /**
   * Items a live-stream client may fall behind by; past it, its oldest progress is dropped, and a
   * client that falls this many status changes behind is disconnected (it reconnects with
   * Last-Event-ID).
   */
  @WithDefault("256")
  int clientQueue();

  /**
   * How often a stream with clients reads the progress of watched jobs that run on other
   * instances (their progress events stay where they run).
   */
  @WithDefault("1s")
  Duration pollInterval();
}
