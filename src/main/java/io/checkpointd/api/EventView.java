package io.checkpointd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.checkpointd.model.JobEvent;
import io.checkpointd.model.JobEventType;
import java.time.OffsetDateTime;

/** One entry of a job's history. Checkpoints appear as one entry with their count. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventView(JobEventType type, OffsetDateTime at, String detail, Long count) {

  static EventView of(JobEvent event) {
    return new EventView(
        event.type(), event.at(), event.detail(), event.type() == JobEventType.CHECKPOINTED ? event.seq() : null);
  }
}
