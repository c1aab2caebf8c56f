package io.checkpointd.model;

import static io.checkpointd.model.JobStatus.CANCELLED;
import static io.checkpointd.model.JobStatus.FAILED;
import static io.checkpointd.model.JobStatus.PAUSED;
import static io.checkpointd.model.JobStatus.QUEUED;
import static io.checkpointd.model.JobStatus.RUNNING;
import static io.checkpointd.model.JobStatus.SUCCEEDED;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of allowed status changes. Every status write in the repository is a conditional
 * update whose {@code WHERE status IN (...)} comes from here, so two racing writers cannot both win
 * and no code path can make a move the table does not allow.
 */
public final class JobTransitions {

  private static final Map<JobStatus, Set<JobStatus>> ALLOWED = new EnumMap<>(JobStatus.class);

  static {
    // claimed by a worker; paused or cancelled before it started
    ALLOWED.put(QUEUED, EnumSet.of(RUNNING, PAUSED, CANCELLED));
    // finished; released on shutdown or lease loss (QUEUED); stopped by request
    ALLOWED.put(RUNNING, EnumSet.of(SUCCEEDED, FAILED, QUEUED, PAUSED, CANCELLED));
    // resumed; cancelled while paused
    ALLOWED.put(PAUSED, EnumSet.of(QUEUED, CANCELLED));
    // resumed for another try
    ALLOWED.put(FAILED, EnumSet.of(QUEUED, CANCELLED));
    ALLOWED.put(SUCCEEDED, EnumSet.noneOf(JobStatus.class));
    ALLOWED.put(CANCELLED, EnumSet.noneOf(JobStatus.class));
  }

  private JobTransitions() {}

  public static boolean isAllowed(JobStatus from, JobStatus to) {
    return ALLOWED.get(from).contains(to);
  }

  /** The statuses from which {@code to} may be reached. */
  public static Set<JobStatus> allowedFrom(JobStatus to) {
    Set<JobStatus> from = EnumSet.noneOf(JobStatus.class);
    ALLOWED.forEach((source, targets) -> {
      if (targets.contains(to)) {
        from.add(source);
      }
    });
    return from;
  }

  public static Set<JobStatus> allowedTo(JobStatus from) {
    return EnumSet.copyOf(ALLOWED.get(from));
  }

  public static void check(JobStatus from, JobStatus to) {
    if (!isAllowed(from, to)) {
      throw new IllegalJobTransitionException(from, to);
    }
  }
}
