package io.checkpointd.engine;

import java.time.Duration;

/** Exponential backoff: {@code initial}, doubled per failed attempt, capped at {@code max}. */
public record RetryBackoff(Duration initial, Duration max) {

  public Duration afterAttempt(int attempt) {
    Duration wait = initial;
    for (int i = 1; i < attempt && wait.compareTo(max) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(max) > 0 ? max : wait;
  }
}
