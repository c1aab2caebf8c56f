package io.checkpointd.kind;

/** A kind declaration that would take a built-in name or change a kind in use (HTTP 409). */
public class KindConflictException extends RuntimeException {

  public KindConflictException(String message) {
    super(message);
  }
}
