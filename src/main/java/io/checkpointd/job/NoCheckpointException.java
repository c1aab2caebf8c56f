package io.checkpointd.job;

public class NoCheckpointException extends RuntimeException {

  public NoCheckpointException(String message) {
    super(message);
  }
}
