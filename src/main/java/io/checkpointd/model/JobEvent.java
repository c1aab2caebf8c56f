package io.checkpointd.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Something that happened to a job, published once after its transaction committed.
 *
 * @param id its place in the job's stored history; 0 for events that are only streamed
 * @param seq for CHECKPOINTED, the checkpoint's seq
 * @param iteration for CHECKPOINTED and PROGRESS, where the job has got to
 */
public record JobEvent(
    long id, UUID jobId, JobEventType type, OffsetDateTime at, String detail, Long seq, Long iteration) {

  public static JobEvent checkpointed(UUID jobId, long seq, long iteration, OffsetDateTime at) {
    return new JobEvent(0, jobId, JobEventType.CHECKPOINTED, at, null, seq, iteration);
  }

  public static JobEvent progress(UUID jobId, long iteration, OffsetDateTime at) {
    return new JobEvent(0, jobId, JobEventType.PROGRESS, at, null, null, iteration);
  }
}
