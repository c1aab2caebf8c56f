package io.checkpointd.stream;

import io.checkpointd.model.JobEvent;
import io.checkpointd.model.JobSnapshot;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** What a live stream sends: a stored event (a status change) or the latest progress of some jobs. */
public sealed interface StreamItem {

  /** Whether the stream may drop it when the client falls behind (a newer one will follow). */
  boolean droppable();

  /**
   * A stored event, in the job's history under {@code event.id()}, with the job as it was when the
   * event was streamed (null if it is gone).
   */
  record Stored(JobEvent event, JobSnapshot job) implements StreamItem {
    @Override
    public boolean droppable() {
      return false;
    }
  }

  /**
   * The newest PROGRESS and CHECKPOINTED events of some jobs since the last such item, oldest
   * first; {@code job} is set when it was read for the purpose (a job running on another instance).
   */
  record Progress(List<Entry> entries, AtomicReference<Object> encoded) implements StreamItem {
    public record Entry(JobEvent event, JobSnapshot job) {}

    /**
     * {@code encoded} holds the item as the transport encoded it, for the other clients it goes to.
     */
    public Progress(List<Entry> entries) {
      this(entries, new AtomicReference<>());
    }

    @Override
    public boolean droppable() {
      return true;
    }
  }

  /** Nothing happened for a while: proves the connection alive, to the client and to proxies. */
  record KeepAlive() implements StreamItem {
    @Override
    public boolean droppable() {
      return true;
    }
  }
}
