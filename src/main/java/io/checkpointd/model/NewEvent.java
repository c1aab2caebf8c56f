package io.checkpointd.model;

import java.util.UUID;

/** An event to record in a job's history, in the transaction of the change it describes. */
public record NewEvent(UUID jobId, JobEventType type, String detail) {}
