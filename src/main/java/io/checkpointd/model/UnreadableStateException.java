package io.checkpointd.model;

/** A checkpoint whose state cannot be read back by this version of its kind. */
public class UnreadableStateException extends RuntimeException {

  public UnreadableStateException(String message) {
    super(message);
  }
}
