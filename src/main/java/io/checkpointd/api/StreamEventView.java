package io.checkpointd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.checkpointd.model.JobEvent;
import io.checkpointd.model.JobEventType;
import io.checkpointd.stream.StreamItem;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One event on a live stream: what happened to which job, and for status changes (and progress
 * read from another instance) the job as it was then.
 *
 * @param seq for CHECKPOINTED, the checkpoint's seq
 * @param iteration for CHECKPOINTED and PROGRESS, where the job has got to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamEventView(
    UUID jobId, JobEventType type, OffsetDateTime at, String detail, Long seq, Long iteration, JobView job) {

  static StreamEventView of(StreamItem.Stored stored) {
    JobEvent e = stored.event();
    return new StreamEventView(e.jobId(), e.type(), e.at(), e.detail(), null, null,
        stored.job() == null ? null : JobView.of(stored.job()));
  }

  static StreamEventView of(StreamItem.Progress.Entry entry) {
    JobEvent e = entry.event();
    return new StreamEventView(e.jobId(), e.type(), e.at(), null, e.seq(), e.iteration(),
        entry.job() == null ? null : JobView.of(entry.job()));
  }
}
