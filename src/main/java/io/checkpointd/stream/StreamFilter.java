package io.checkpointd.stream;

import io.checkpointd.model.JobStatus;
import java.util.Optional;
import java.util.UUID;

/**
 * Which jobs a stream is about: one job, or every job (optionally of one status and kind, as the
 * list's filters) of one tenant, or of all ({@code tenant} empty: an admin, the open service).
 */
public record StreamFilter(Optional<UUID> job, Optional<JobStatus> status, Optional<String> kind, Optional<String> tenant) {

  /** One job, which the caller was already found to be allowed to see. */
  public static StreamFilter oneJob(UUID id) {
    return new StreamFilter(Optional.of(id), Optional.empty(), Optional.empty(), Optional.empty());
  }

  boolean isOneJob() {
    return job.isPresent();
  }

  /** Whether every job's progress belongs to the stream (progress only comes from running jobs). */
  boolean takesAllProgress() {
    return job.isEmpty() && kind.isEmpty() && tenant.isEmpty() && status.map(s -> s == JobStatus.RUNNING).orElse(true);
  }

  /**
   * Whether a job with this id, kind, tenant and status belongs to the stream; null kind or status:
   * not known. An unknown tenant never matches a tenant's stream.
   */
  boolean matches(UUID id, String jobKind, String jobTenant, JobStatus jobStatus) {
    return job.map(id::equals).orElse(true)
        && kind.map(k -> k.equals(jobKind)).orElse(true)
        && tenant.map(t -> t.equals(jobTenant)).orElse(true)
        && status.map(s -> s == jobStatus).orElse(true);
  }
}
