package io.checkpointd.engine.checkpoint;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.persistence.CheckpointRepository;
import io.checkpointd.persistence.CheckpointRepository.LeasedWrite;
import io.checkpointd.persistence.CheckpointWrite;
import io.checkpointd.persistence.Lease;
import io.checkpointd.persistence.LeaseLostException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Group commit of checkpoints. Runners hand their snapshots here and go on stepping; one writer
 * thread takes everything queued and commits it as one transaction, so under load many jobs'
 * checkpoints share one commit (one fsync) instead of paying one each. A checkpoint's future
 * completes only after its transaction committed: a checkpoint reported written is durable.
 * A runner has at most one checkpoint in flight, so each job's checkpoints commit in order even
 * with several writers.
 */
@ApplicationScoped
public class CheckpointWriter {

  private static final Logger LOG = Logger.getLogger(CheckpointWriter.class);
  private static final long QUIET_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

  private record Pending(LeasedWrite write, CompletableFuture<Long> done) {}

  private final CheckpointRepository checkpoints;
  private final int keep;
  // Why a cap: a bounded transaction keeps commit latency bounded for the jobs at the back.
  private final int maxBatch;
  private final long lingerNanos;
  private volatile int lastBatchSize;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  CheckpointWriter(CheckpointRepository checkpoints, CheckpointdConfig config) {
    this.checkpoints = checkpoints;
    this.keep = config.checkpoints().keep();
    this.maxBatch = Math.max(1, config.checkpoints().maxBatch());
    this.lingerNanos = maxBatch == 1 ? 0 : config.checkpoints().linger().toNanos();
    // Why more than one: while one batch waits for its commit to reach the disk, the next is sent.
    for (int i = 1; i <= Math.max(1, config.checkpoints().writers()); i++) {
      Thread thread = new Thread(this::writeLoop, "checkpointd-checkpoint-writer-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
  }

  /**
   * Queues a checkpoint. The future gives its sequence number once committed, or fails with
   * {@link LeaseLostException} (nothing written) or the database's error.
   */
  public CompletableFuture<Long> submit(Lease lease, CheckpointWrite write) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    queue.add(new Pending(new LeasedWrite(lease, write), done));
    return done;
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        gather(batch);
        lastBatchSize = batch.size();
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable e) {
        LOG.warnf("Checkpoint writer: %s", e.getMessage());
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * Takes what is queued, then goes on taking checkpoints as long as they keep coming, up to
   * {@code linger}; a gap of {@link #QUIET_NANOS} ends the batch. Why both: with thousands of jobs
   * the checkpoints arrive without a gap, and a writer that committed whatever had arrived would
   * commit tiny batches as fast as it could, taking the CPU the runners need to make more (measured:
   * 10,000 jobs fell from 60,000 to 1,200 checkpoints/s); with a hundred, the runners woken by a
   * commit are all back within a fraction of a millisecond, and waiting past that only adds latency.
   */
  private void gather(List<Pending> batch) throws InterruptedException {
    queue.drainTo(batch, maxBatch - batch.size());
    // Linger only under load (the last batch was shared): a lone job must not wait for company.
    long deadline = System.nanoTime() + (lastBatchSize > 1 ? lingerNanos : 0);
    while (batch.size() < maxBatch) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      Pending next = queue.poll(Math.min(left, QUIET_NANOS), TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
      queue.drainTo(batch, maxBatch - batch.size());
    }
  }

  private void commit(List<Pending> batch) {
    Set<UUID> stored;
    long started = System.nanoTime();
    try {
      stored = checkpoints.saveCheckpoints(batch.stream().map(Pending::write).toList(), keep);
      LOG.debugf("Committed %d checkpoints in %.1f ms", Integer.valueOf(batch.size()), Double.valueOf((System.nanoTime() - started) / 1e6));
    } catch (RuntimeException e) {
      batch.forEach(p -> p.done().completeExceptionally(e));
      return;
    }
    for (Pending p : batch) {
      if (stored.contains(p.write().lease().jobId())) {
        p.done().complete(p.write().write().seq());
      } else {
        p.done().completeExceptionally(new LeaseLostException(p.write().lease()));
      }
    }
  }

  @PreDestroy
  void stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }
}
