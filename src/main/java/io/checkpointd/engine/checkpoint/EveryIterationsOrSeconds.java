package io.checkpointd.engine.checkpoint;

import java.time.Duration;

/**
 * A checkpoint after every {@code iterations} steps and/or every {@code seconds}, whichever comes
 * first; a null limit does not apply. This bounds what a crash can cost: at most that many steps,
 * or that much time, of work.
 */
public record EveryIterationsOrSeconds(Integer iterations, Double seconds) implements CheckpointPolicy {

  public EveryIterationsOrSeconds {
    if (iterations == null && seconds == null) {
      throw new IllegalArgumentException("a checkpoint policy needs iterations, seconds, or both");
    }
  }

  @Override
  public boolean isDue(long iterationsSinceLast, Duration sinceLast) {
    if (iterationsSinceLast <= 0) {
      return false;
    }
    if (iterations != null && iterationsSinceLast >= iterations) {
      return true;
    }
    return seconds != null && sinceLast.toNanos() >= (long) (seconds * 1_000_000_000L);
  }
}
