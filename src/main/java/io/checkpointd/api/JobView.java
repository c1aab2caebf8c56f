package io.checkpointd.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.checkpointd.job.CheckpointSpec;
import io.checkpointd.model.JobProgress;
import io.checkpointd.model.JobSnapshot;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.RequestedStop;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A job as clients see it. {@code params} and {@code result} are passed on as the JSON stored,
 * never parsed and re-rendered.
 */
public record JobView(
    UUID id,
    String kind,
    @JsonRawValue String params,
    CheckpointSpec checkpoint,
    JobStatus status,
    RequestedStop requested,
    Progress progress,
    LastCheckpoint lastCheckpoint,
    @JsonRawValue String result,
    String error,
    int attempts,
    int maxAttempts,
    String instance,
    int recoveries,
    long checkpointsWritten,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime updatedAt,
    OffsetDateTime finishedAt,
    ForkedFrom forkedFrom,
    String tenant) {

  /** The job and checkpoint this job was forked from. */
  public record ForkedFrom(UUID jobId, long seq) {}

  /**
   * How far the job has got (as of its last checkpoint or heartbeat); for a running job, how fast
   * (iterations per second) and the estimated seconds to completion.
   */
  public record Progress(long iteration, long total, double percent, Double ratePerSecond, Double etaSeconds) {}

  /**
   * The newest checkpoint: a crash now would resume from {@code iteration}, losing {@code
   * iterationsAtRisk} iterations of work.
   */
  public record LastCheckpoint(long seq, long iteration, OffsetDateTime createdAt, long iterationsAtRisk) {}

  static JobView of(JobSnapshot job) {
    JobProgress p = job.progress();
    JobSnapshot.LastCheckpoint last = job.lastCheckpoint();
    return new JobView(
        job.id(),
        job.kind(),
        job.paramsJson(),
        CheckpointSpec.of(job.checkpointEveryIterations(), job.checkpointEverySeconds(), job.retainAfterSuccess(),
            job.milestones()),
        job.status(),
        job.requested(),
        new Progress(p.iteration(), p.total(), p.percent(), p.ratePerSecond(), p.etaSeconds()),
        last == null ? null : new LastCheckpoint(last.seq(), last.iteration(), last.at(), p.iterationsAtRisk()),
        job.resultJson(),
        job.error(),
        job.attempts(),
        job.maxAttempts(),
        job.owner(),
        job.recoveries(),
        job.checkpointsWritten(),
        job.createdAt(),
        job.startedAt(),
        job.updatedAt(),
        job.finishedAt(),
        job.forkedFrom() == null ? null : new ForkedFrom(job.forkedFrom().jobId(), job.forkedFrom().seq()),
        job.tenant());
  }
}
