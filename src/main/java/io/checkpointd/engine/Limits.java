package io.checkpointd.engine;

import io.checkpointd.config.CheckpointdConfig;
import java.time.Duration;

/** The per-job limits, held to their hard caps whatever the configuration says. */
final class Limits {

  static final Duration MAX_RUNTIME_CAP = Duration.ofDays(30);
  static final Duration MIN_CHECKPOINT_INTERVAL_CAP = Duration.ofMinutes(1);

  private Limits() {}

  static Duration maxRuntime(CheckpointdConfig config) {
    return atMost(config.jobs().maxRuntime(), MAX_RUNTIME_CAP);
  }

  static Duration minCheckpointInterval(CheckpointdConfig config) {
    Duration asked = config.checkpoints().minInterval();
    return asked.isNegative() ? Duration.ZERO : atMost(asked, MIN_CHECKPOINT_INTERVAL_CAP);
  }

  private static Duration atMost(Duration asked, Duration cap) {
    return asked.compareTo(cap) > 0 ? cap : asked;
  }
}
