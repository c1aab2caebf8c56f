package io.checkpointd.engine;

import java.util.UUID;

/** Fired when a job is queued, so a worker can pick it up without waiting for the next poll. */
public record JobQueued(UUID id) {}
