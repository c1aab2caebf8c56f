package io.checkpointd.job;

import io.checkpointd.model.JobSnapshot.Milestones;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * A job's checkpoint policy as clients write it: after every {@code everyIterations} steps and/or
 * every {@code everySeconds}, whichever comes first. Omitted entirely, it is every 5 iterations.
 * {@code retainAfterSuccess} (default false) keeps the checkpoints when the job succeeds, for forks.
 * Besides its newest checkpoints a job keeps milestones: every {@code milestoneEvery}-th checkpoint,
 * at most {@code milestones} of them (the service's defaults when omitted; 0 for none).
 */
public record CheckpointSpec(
    @Min(value = 1, message = "must be at least 1") @Max(value = 1_000_000_000, message = "must be at most 1000000000")
        Integer everyIterations,
    @DecimalMin(value = "0.001", message = "must be at least 0.001")
        @DecimalMax(value = "86400", message = "must be at most 86400 (one day)")
        Double everySeconds,
    Boolean retainAfterSuccess,
    @Min(value = 0, message = "must be at least 0 (0: no milestones)")
        @Max(value = 1_000_000_000, message = "must be at most 1000000000")
        Integer milestoneEvery,
    @Min(value = 0, message = "must be at least 0 (0: no milestones)")
        @Max(value = Milestones.MAX_COUNT, message = "must be at most " + Milestones.MAX_COUNT)
        Integer milestones) {

  public static final CheckpointSpec DEFAULT = new CheckpointSpec(5, null, false);

  public CheckpointSpec(Integer everyIterations, Double everySeconds, Boolean retainAfterSuccess) {
    this(everyIterations, everySeconds, retainAfterSuccess, null, null);
  }

  /** The spec with the defaults applied: every 5 iterations when neither limit is given, no retention. */
  public CheckpointSpec orDefault() {
    boolean retain = Boolean.TRUE.equals(retainAfterSuccess);
    return everyIterations == null && everySeconds == null
        ? new CheckpointSpec(DEFAULT.everyIterations(), null, retain, milestoneEvery, milestones)
        : new CheckpointSpec(everyIterations, everySeconds, retain, milestoneEvery, milestones);
  }

  /** Whether the job keeps its checkpoints after it succeeds. */
  public boolean retains() {
    return Boolean.TRUE.equals(retainAfterSuccess);
  }

  /** The milestones asked for, each omitted one taken from {@code defaults}. */
  public Milestones milestonesOr(Milestones defaults) {
    int every = milestoneEvery == null ? defaults.every() : milestoneEvery;
    int count = milestones == null ? defaults.count() : milestones;
    return every == 0 || count == 0 ? Milestones.NONE : new Milestones(every, count);
  }

  /** The spec a job was created with, as its view shows it. */
  public static CheckpointSpec of(Integer everyIterations, Double everySeconds, boolean retain, Milestones milestones) {
    return new CheckpointSpec(everyIterations, everySeconds, retain, milestones.every(), milestones.count());
  }
}
