package io.checkpointd.engine.checkpoint;

import java.time.Duration;

/** Decides, after each step, whether it is time to write a checkpoint. */
public interface CheckpointPolicy {

  /**
   * @param iterationsSinceLast steps taken since the last checkpoint (or since the job started here)
   * @param sinceLast time since then
   */
  boolean isDue(long iterationsSinceLast, Duration sinceLast);
}
