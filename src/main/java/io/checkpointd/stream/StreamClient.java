package io.checkpointd.stream;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.jboss.logging.Logger;

/**
 * One connected client: a bounded queue in front of its connection, sent one item at a time. Why a
 * queue of its own: whoever produces items (the hub's thread) never waits on a client; a client
 * that reads slowly only lets its own queue fill. When it is full, the oldest progress item goes
 * (a newer one says more); status changes are never dropped: if they alone fill the queue, the
 * client is disconnected, and reconnects with {@code Last-Event-ID} to read them from the history.
 */
final class StreamClient {

  private static final Logger LOG = Logger.getLogger(StreamClient.class);

  final StreamFilter filter;
  private final StreamSink sink;
  private final int capacity;
  private final ArrayDeque<StreamItem> queue = new ArrayDeque<>();
  private boolean sending;
  private boolean closed;
  private boolean closeWhenSent;
  // Stored events up to this id were sent (or replayed): a live copy of one is not sent twice.
  private long lastStoredId;
  private volatile long lastSentNanos = System.nanoTime();

  StreamClient(StreamFilter filter, StreamSink sink, int capacity) {
    this.filter = filter;
    this.sink = sink;
    this.capacity = capacity;
  }

  /** Queues an item; never blocks. */
  void offer(StreamItem item) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (item instanceof StreamItem.Stored stored) {
        if (stored.event().id() <= lastStoredId) {
          return;
        }
        lastStoredId = stored.event().id();
      }
      if (queue.size() >= capacity && !dropOldestDroppable()) {
        if (!item.droppable()) {
          LOG.debugf("A stream client fell %d status changes behind: disconnecting it", queue.size());
          closeLocked();
        }
        return;
      }
      queue.add(item);
      if (sending) {
        return;
      }
      sending = true;
    }
    pump();
  }

  private boolean dropOldestDroppable() {
    for (Iterator<StreamItem> it = queue.iterator(); it.hasNext(); ) {
      if (it.next().droppable()) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  /** Sends queued items one after the other; each send's completion sends the next. */
  private void pump() {
    StreamItem next;
    synchronized (this) {
      next = closed ? null : queue.poll();
      if (next == null) {
        sending = false;
        if (closeWhenSent) {
          closeLocked();
        }
        return;
      }
    }
    lastSentNanos = System.nanoTime();
    try {
      sink.send(next).whenComplete((ignored, error) -> {
        if (error != null) {
          close();
        } else {
          pump();
        }
      });
    } catch (RuntimeException e) {
      close(); // the client is gone
    }
  }

  /** Ends the stream once what is queued has been sent (the job it is about has ended). */
  void closeWhenSent() {
    boolean idle;
    synchronized (this) {
      closeWhenSent = true;
      idle = !sending;
      if (idle) {
        closeLocked();
      }
    }
  }

  boolean isClosed() {
    synchronized (this) {
      return closed || sink.isClosed();
    }
  }

  long nanosSinceLastSend() {
    return System.nanoTime() - lastSentNanos;
  }

  void close() {
    synchronized (this) {
      closeLocked();
    }
  }

  private void closeLocked() {
    if (!closed) {
      closed = true;
      queue.clear();
      try {
        sink.close();
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
  }
}
