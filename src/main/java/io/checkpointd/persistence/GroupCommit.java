package io.checkpointd.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit for callers that each wait for their own write, without a thread of its own: the
 * caller that holds the lock writes every request queued meanwhile, its own among them, in one
 * statement; the others find theirs done when the lock comes to them. While one batch commits,
 * the next one gathers, so batches grow with the load and a lone request is written at once.
 *
 * <p>Why not a writer thread, as checkpoints have: a request's thread waits anyway, and with no
 * thread to die there is nothing to strand: a request is written by its own thread if by no other.
 */
final class GroupCommit<T, R> {

  private final ConcurrentLinkedQueue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock writing = new ReentrantLock();
  private final int maxBatch;
  private final Function<List<T>, List<R>> writeAll;

  /** {@code writeAll} writes the requests in one statement and answers their results in order. */
  GroupCommit(int maxBatch, Function<List<T>, List<R>> writeAll) {
    this.maxBatch = maxBatch;
    this.writeAll = writeAll;
  }

  /** Writes {@code request}, with whatever else is queued; throws what its write threw. */
  R submit(T request) {
    Pending<T, R> pending = new Pending<>(request);
    queue.add(pending);
    writing.lock();
    try {
      // this request is queued, so the loop ends: each turn writes the oldest maxBatch, then ours
      while (!pending.done) {
        writeQueued();
      }
    } finally {
      writing.unlock();
    }
    if (pending.failure != null) {
      throw pending.failure;
    }
    return pending.result;
  }

  private void writeQueued() {
    List<Pending<T, R>> batch = new ArrayList<>();
    for (Pending<T, R> p; batch.size() < maxBatch && (p = queue.poll()) != null; ) {
      batch.add(p);
    }
    try {
      write(batch);
    } catch (Throwable e) {
      // an Error: nobody waits forever on a request that was taken from the queue
      for (Pending<T, R> p : batch) {
        if (!p.done) {
          p.fail(e instanceof RuntimeException r ? r : new IllegalStateException("the batch's write failed", e));
        }
      }
      if (e instanceof Error error) {
        throw error;
      }
    }
  }

  private void write(List<Pending<T, R>> batch) {
    try {
      List<R> results = writeAll.apply(batch.stream().map(p -> p.request).toList());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).succeed(results.get(i));
      }
    } catch (RuntimeException e) {
      if (batch.size() == 1 || DatabaseUnavailable.is(e)) {
        throw e; // a database that is down would fail each request alone too
      }
      // one request's bad value must not fail the others': each is written alone, and fails alone
      for (Pending<T, R> p : batch) {
        try {
          p.succeed(writeAll.apply(List.of(p.request)).get(0));
        } catch (RuntimeException alone) {
          p.fail(alone);
        }
      }
    }
  }

  private static final class Pending<T, R> {
    final T request;
    // written and read under the lock, or after the waiting thread took it
    R result;
    RuntimeException failure;
    boolean done;

    Pending(T request) {
      this.request = request;
    }

    void succeed(R r) {
      result = r;
      done = true;
    }

    void fail(RuntimeException e) {
      failure = e;
      done = true;
    }
  }
}
