package io.checkpointd.job;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * A job's checkpoint policy as clients write it: after every {@code everyIterations} steps and/or
 * every {@code everySeconds}, whichever comes first. Omitted entirely, it is every 5 iterations.
 */
public record CheckpointSpec(
    @Min(value = 1, message = "must be at least 1") @Max(value = 1_000_000_000, message = "must be at most 1000000000")
        Integer everyIterations,
    @DecimalMin(value = "0.001", message = "must be at least 0.001")
        @DecimalMax(value = "86400", message = "must be at most 86400 (one day)")
        Double everySeconds) {

  public static final CheckpointSpec DEFAULT = new CheckpointSpec(5, null);

  /** The spec with the default applied when neither limit is given. */
  public CheckpointSpec orDefault() {
    return everyIterations == null && everySeconds == null ? DEFAULT : this;
  }
}
