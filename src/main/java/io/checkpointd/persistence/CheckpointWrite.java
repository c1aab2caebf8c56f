package io.checkpointd.persistence;

/** A checkpoint to store: the state's bytes as they will be checksummed and read back. */
public record CheckpointWrite(long iteration, int stateVersion, byte[] state, String checksum) {}
