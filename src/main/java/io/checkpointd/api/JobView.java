package io.checkpointd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.job.CheckpointSpec;
import io.checkpointd.job.JobStatus;
import io.checkpointd.persistence.JobEntity;
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
    Progress progress,
    LastCheckpoint lastCheckpoint,
    JsonNode result,
    String error,
    String instance,
    int recoveries,
    long checkpointsWritten,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime updatedAt,
    OffsetDateTime finishedAt) {

  /** How far the job has got (as of its last checkpoint or heartbeat). */
  public record Progress(long iteration, long total, double percent) {}

  /**
   * The newest checkpoint: a crash now would resume from {@code iteration}, losing the progress
   * beyond it.
   */
  public record LastCheckpoint(long seq, long iteration, OffsetDateTime createdAt) {}

  static JobView of(JobEntity job, ObjectMapper mapper) {
    double percent = job.total == 0 ? 100.0 : Math.round(job.iteration * 1000.0 / job.total) / 10.0;
    return new JobView(
        job.id,
        job.kind,
        json(job.params, mapper),
        new CheckpointSpec(job.checkpointEveryIterations, job.checkpointEverySeconds),
        job.status,
        new Progress(job.iteration, job.total, percent),
        job.lastCheckpointSeq == null
            ? null
            : new LastCheckpoint(job.lastCheckpointSeq, job.lastCheckpointIteration, job.lastCheckpointAt),
        json(job.result, mapper),
        job.error,
        job.owner,
        job.recoveries,
        job.checkpointCount,
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
