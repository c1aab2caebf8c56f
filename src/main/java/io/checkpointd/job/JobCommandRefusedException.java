package io.checkpointd.job;

import io.checkpointd.model.JobStatus;
import java.util.List;
import java.util.stream.Collectors;
/** A command that makes no sense for the job's current state (HTTP 409). */
public class JobCommandRefusedException extends RuntimeException {

  private final JobStatus status;
  private final List<JobCommand> allowed;

  public JobCommandRefusedException(String action, String id, JobStatus status, String reason, List<JobCommand> allowed) {
    super("cannot " + action + " job " + id + ": " + reason + " (status " + status + "); allowed now: "
        + (allowed.isEmpty() ? "none" : allowed.stream().map(JobCommand::path).collect(Collectors.joining(", "))));
    this.status = status;
    this.allowed = List.copyOf(allowed);
  }

  public JobStatus status() {
    return status;
  }

  public List<JobCommand> allowed() {
    return allowed;
  }
}
