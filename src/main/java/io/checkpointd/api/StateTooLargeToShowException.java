package io.checkpointd.api;

/** A stored state larger than the API renders into one answer. */
class StateTooLargeToShowException extends RuntimeException {

  StateTooLargeToShowException(String message) {
    super(message);
  }
}
