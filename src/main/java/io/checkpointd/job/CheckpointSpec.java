package io.checkpointd.job;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * A job's checkpoint policy as clients write it: after every {@code everyIterations} steps and/or
 * every {@code everySeconds}, whichever comes first. Omitted entirely, it is every 5 iterations.
 * {@code retainAfterSuccess} (default false) keeps the checkpoints when the job succeeds, for forks.
 */
public record CheckpointSpec(
    @Min(value = 1, message = "must be at least 1") @Max(value = 1_000_000_000, message = "must be at most 1000000000")
        Integer everyIterations,
    @DecimalMin(value = "0.001", message = "must be at least 0.001")
        @DecimalMax(value = "86400", message = "must be at most 86400 (one day)")
        Double everySeconds,
    Boolean retainAfterSuccess) {

  public static final CheckpointSpec DEFAULT = new CheckpointSpec(5, null, false);

  public CheckpointSpec(Integer everyIterations, Double everySeconds) {
    this(everyIterations, everySeconds, false);
  }

  /** The spec with the defaults applied: every 5 iterations when neither limit is given, no retention. */
  public CheckpointSpec orDefault() {
    boolean retain = Boolean.TRUE.equals(retainAfterSuccess);
    return everyIterations == null && everySeconds == null
        ? new CheckpointSpec(DEFAULT.everyIterations(), null, retain)
        : new CheckpointSpec(everyIterations, everySeconds, retain);
  }

  /** Whether the job keeps its checkpoints after it succeeds. */
  public boolean retains() {
    return Boolean.TRUE.equals(retainAfterSuccess);
  }
}
