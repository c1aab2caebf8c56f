package io.checkpointd.model;

/**
 * A checkpoint to store: the state's bytes exactly as they will be checksummed and read back.
 *
 * @param seq numbered by the job's owner: one more than the job's previous checkpoint
 * @param encoding {@code json}, or {@code json+gzip} for compressed large states
 */
public record CheckpointWrite(long seq, long iteration, int stateVersion, String encoding, byte[] state, String checksum) {}
