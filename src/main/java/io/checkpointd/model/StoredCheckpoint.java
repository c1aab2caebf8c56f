package io.checkpointd.model;

import java.time.OffsetDateTime;

/** A checkpoint row as read back, state included. */
public record StoredCheckpoint(
    long seq, long iteration, int stateVersion, String encoding, byte[] state, int sizeBytes, String checksum,
    OffsetDateTime createdAt) {}
