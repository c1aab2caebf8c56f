package io.checkpointd.job;

/** A state given for a new job (a fork's patched checkpoint) that the kind cannot load. */
public class InvalidStateException extends RuntimeException {

  public InvalidStateException(String message) {
    super(message);
  }
}
