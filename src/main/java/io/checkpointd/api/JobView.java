package io.checkpointd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.job.CheckpointSpec;
import io.checkpointd.job.JobStatus;
import io.checkpointd.persistence.JobEntity;
import io.checkpointd.persistence.RequestedStop;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A job as clients see it. */
public record JobView(
    UUID id,
    String kind,
    JsonNode params,
    CheckpointSpec checkpoint,
    JobStatus status,
    RequestedStop requested,
    Progress progress,
    LastCheckpoint lastCheckpoint,
    JsonNode result,
    String error,
    int attempts,
    int maxAttempts,
    String instance,
    int recoveries,
    long checkpointsWritten,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime updatedAt,
    OffsetDateTime finishedAt) {

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

  static JobView of(JobEntity job, ObjectMapper mapper) {
    // The row has the iteration of the last heartbeat; a checkpoint written since is further on.
    long iteration = job.lastCheckpointIteration == null ? job.iteration : Math.max(job.iteration, job.lastCheckpointIteration);
    double percent = job.total == 0 ? 100.0 : Math.round(iteration * 1000.0 / job.total) / 10.0;
    boolean running = job.status == JobStatus.RUNNING;
    Double rate = running && job.rate != null ? Math.round(job.rate * 100.0) / 100.0 : null;
    Double eta = rate == null || rate <= 0 ? null : Math.round((job.total - iteration) / rate * 10.0) / 10.0;
    return new JobView(
        job.id,
        job.kind,
        json(job.params, mapper),
        new CheckpointSpec(job.checkpointEveryIterations, job.checkpointEverySeconds),
        job.status,
        job.requested,
        new Progress(iteration, job.total, percent, rate, eta),
        job.lastCheckpointSeq == null
            ? null
            : new LastCheckpoint(
                job.lastCheckpointSeq,
                job.lastCheckpointIteration,
                job.lastCheckpointAt,
                running ? iteration - job.lastCheckpointIteration : 0),
        json(job.result, mapper),
        job.error,
        job.attempts,
        job.maxAttempts,
        job.owner,
        job.recoveries,
        // seqs run 1, 2, 3, … across owners: the newest is the count
        job.lastCheckpointSeq == null ? 0 : job.lastCheckpointSeq,
        job.createdAt,
        job.startedAt,
        job.updatedAt,
        job.finishedAt);
  }

  private static JsonNode json(String text, ObjectMapper mapper) {
    if (text == null) {
      return null;
    }
    try {
      return mapper.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
