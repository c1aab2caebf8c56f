package io.checkpointd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.checkpointd.job.JobEventType;
import io.checkpointd.persistence.JobEntity;
import io.checkpointd.persistence.JobEventRepository.StoredEvent;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One entry of a job's history. Checkpoints appear as one entry with their count. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventView(JobEventType type, OffsetDateTime at, String detail, Long count) {

  static List<EventView> of(JobEntity job, List<StoredEvent> stored) {
    List<EventView> events = new ArrayList<>();
    stored.forEach(e -> events.add(new EventView(e.type(), e.at(), e.detail(), null)));
    if (job.lastCheckpointSeq != null) {
      events.add(new EventView(
          JobEventType.CHECKPOINTED,
          job.lastCheckpointAt,
          "latest: checkpoint " + job.lastCheckpointSeq + " at iteration " + job.lastCheckpointIteration,
          job.lastCheckpointSeq));
    }
    events.sort(Comparator.comparing(EventView::at, Comparator.nullsLast(Comparator.naturalOrder())));
    return events;
  }
}
