package io.checkpointd.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.stream.StreamItem;
import io.checkpointd.stream.StreamSink;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A live stream as Server-Sent Events. Status changes are {@code event: job} with the history's
 * event id as the SSE id (so a reconnecting client's {@code Last-Event-ID} resumes after it);
 * progress is {@code event: progress}, a JSON array, without an id (it is not in the history).
 */
final class SseStreamSink implements StreamSink {

  static final String STATUS = "job";
  static final String PROGRESS = "progress";

  private final SseEventSink sink;
  private final Sse sse;
  private final ObjectMapper mapper;

  SseStreamSink(SseEventSink sink, Sse sse, ObjectMapper mapper) {
    this.sink = sink;
    this.sse = sse;
    this.mapper = mapper;
  }

  // No media type on the events: the data is JSON text already, written as is (text/plain, the
  // default), and an event with one set carries a 'content-type:' line that no SSE client reads.
  @Override
  public CompletionStage<?> send(StreamItem item) {
    OutboundSseEvent event;
    try {
      if (item instanceof StreamItem.Stored stored) {
        event = sse.newEventBuilder().id(Long.toString(stored.event().id())).name(STATUS)
            .data(mapper.writeValueAsString(StreamEventView.of(stored))).build();
      } else if (item instanceof StreamItem.Progress progress) {
        // one progress item may go to many clients: encoded by the first, reused by the others
        Object json = progress.encoded().get();
        if (json == null) {
          json = mapper.writeValueAsString(progress.entries().stream().map(StreamEventView::of).toList());
          progress.encoded().set(json);
        }
        event = sse.newEventBuilder().name(PROGRESS).data(json.toString()).build();
      } else {
        event = sse.newEventBuilder().comment("keep-alive").build();
      }
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    return sink.send(event);
  }

  @Override
  public boolean isClosed() {
    return sink.isClosed();
  }

  @Override
  public void close() {
    sink.close();
  }
}
