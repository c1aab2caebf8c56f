package io.checkpointd.model;

/** A state too large to checkpoint: the job fails with this message, the service goes on. */
public class CheckpointTooLargeException extends RuntimeException {

  public CheckpointTooLargeException(long bytes, long maxBytes) {
    super("checkpoint state of " + bytes + " bytes (after compression) exceeds the cap of " + maxBytes
        + " bytes (checkpointd.checkpoints.max-bytes)");
  }
}
