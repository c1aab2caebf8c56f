package io.checkpointd.job;

import io.checkpointd.model.JobEventType;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.RequestedStop;
/** What a command does to a job in a given (status, requested) state. */
public sealed interface CommandDecision {

  /**
   * Moves the job to ({@code to}, {@code requested}). {@code accepted} means the change completes
   * later, when the owner reaches an iteration boundary (HTTP 202); otherwise it is done (200).
   */
  record Move(JobStatus to, RequestedStop requested, JobEventType event, boolean accepted) implements CommandDecision {}

  /** Already in, or on its way to, what was asked: a harmless repeat. */
  record Already(boolean accepted) implements CommandDecision {}

  /** Makes no sense for the job's state. */
  record Refuse(String reason) implements CommandDecision {}
}
