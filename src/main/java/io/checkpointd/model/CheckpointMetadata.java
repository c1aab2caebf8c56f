package io.checkpointd.model;

import java.time.OffsetDateTime;

/** A stored checkpoint without its state. */
public record CheckpointMetadata(
    long seq, long iteration, int stateVersion, String encoding, int sizeBytes, String checksum,
    OffsetDateTime createdAt) {}
