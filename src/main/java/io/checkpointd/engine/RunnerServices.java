package io.checkpointd.engine;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.engine.checkpoint.CheckpointCodec;
import io.checkpointd.engine.checkpoint.CheckpointLoader;
import io.checkpointd.engine.checkpoint.StateBytesQuota;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What every {@link JobRunner} shares. */
record RunnerServices(
    WorkerProtocol protocol,
    CheckpointCodec codec,
    CheckpointLoader loader,
    Clock clock,
    ScheduledExecutorService steps,
    CheckpointdConfig config,
    StateBytesQuota stateQuota,
    EngineListener listener) {

  RunnerServices(
      WorkerProtocol protocol, CheckpointCodec codec, CheckpointLoader loader, Clock clock,
      ScheduledExecutorService steps, CheckpointdConfig config) {
    this(protocol, codec, loader, clock, steps, config, new StateBytesQuota(config), EngineListener.NONE);
  }
}
