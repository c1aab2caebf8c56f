package io.checkpointd.model;

import java.time.OffsetDateTime;

/**
 * A stored checkpoint without its state.
 *
 * @param setAside set aside by a rewind: kept to be read, never resumed from
 * @param milestone kept as a milestone (a sparse history from the job's start), not in the ring of newest
 */
public record CheckpointMetadata(
    long seq, long iteration, int stateVersion, String encoding, int sizeBytes, String checksum,
    OffsetDateTime createdAt, boolean setAside, boolean milestone) {}
