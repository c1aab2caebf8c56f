package io.checkpointd.model;

import java.util.UUID;

/** Proof of ownership: every write a worker makes for a job names the epoch it claimed it with. */
public record Lease(UUID jobId, String owner, long epoch) {}
