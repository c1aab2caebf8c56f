package io.checkpointd.engine.external;

/** A checkpoint resent under a seq that holds a different state (HTTP 409). */
public class CheckpointConflictException extends RuntimeException {

  public CheckpointConflictException(long seq) {
    super("checkpoint " + seq + " is already stored with a different state; number new checkpoints after the newest");
  }
}
