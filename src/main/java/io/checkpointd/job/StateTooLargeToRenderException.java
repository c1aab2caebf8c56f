package io.checkpointd.job;

/** A state larger than the service renders into a response. */
public class StateTooLargeToRenderException extends RuntimeException {

  public StateTooLargeToRenderException(String message) {
    super(message);
  }
}
