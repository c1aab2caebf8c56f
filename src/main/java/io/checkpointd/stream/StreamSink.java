package io.checkpointd.stream;

import java.util.concurrent.CompletionStage;

/** The transport under a live stream (Server-Sent Events over HTTP). */
public interface StreamSink {

  /** Sends one item; the stage completes once it has been written out. */
  CompletionStage<?> send(StreamItem item);

  boolean isClosed();

  void close();
}
