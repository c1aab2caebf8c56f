package io.checkpointd.engine;

import io.checkpointd.persistence.CheckpointRepository;
import io.checkpointd.persistence.JobRepository;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What every {@link JobRunner} shares. */
record RunnerServices(
    JobRepository jobs,
    CheckpointRepository checkpoints,
    Clock clock,
    ScheduledExecutorService steps,
    int checkpointsKept) {}
