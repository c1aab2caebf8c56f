package io.checkpointd.engine.checkpoint;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.event.JobEventBus;
import io.checkpointd.model.CheckpointNotNewerException;
import io.checkpointd.model.CheckpointWrite;
import io.checkpointd.model.JobEvent;
import io.checkpointd.model.JobEventType;
import io.checkpointd.model.NewEvent;
import io.checkpointd.persistence.EventStore;
import io.checkpointd.model.Lease;
import io.checkpointd.model.LeaseLostException;
import io.checkpointd.persistence.CheckpointStore.BatchOutcome;
import io.checkpointd.persistence.CheckpointStore.LeasedWrite;
import io.checkpointd.persistence.CheckpointStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
/**
 * Group commit of checkpoints. Runners hand their snapshots here and go on stepping; one writer
 * thread takes everything queued and commits it as one transaction, so under load many jobs'
 * checkpoints share one commit (one fsync) instead of paying one each. A checkpoint's future
 * completes only after its transaction committed: a checkpoint reported written is durable.
 * A worker has at most one checkpoint in flight per job, so each job's checkpoints commit in
 * order even with several writers; whatever finishes a job first waits for that one
 * ({@link #awaitInFlight}). Whatever a batch throws, its futures complete: no worker waits forever.
 */
@ApplicationScoped
public class CheckpointWriter {

  private static final Logger LOG = Logger.getLogger(CheckpointWriter.class);
  private static final long QUIET_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

  private record Pending(LeasedWrite write, CompletableFuture<CheckpointReceipt> done) {}

  private final CheckpointStore checkpoints;
  private final JobEventBus events;
  private final EventStore refusals;
  private final CheckpointBatchListener listener;
  private final Map<UUID, CompletableFuture<CheckpointReceipt>> inFlight = new ConcurrentHashMap<>();
  private final int keep;
  // Why a cap: a bounded transaction keeps commit latency bounded for the jobs at the back.
  private final int maxBatch;
  private final long lingerNanos;
  private volatile int lastBatchSize;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  CheckpointWriter(
      CheckpointStore checkpoints, EventStore refusals, JobEventBus events, CheckpointBatchListener listener,
      CheckpointdConfig config) {
    this.checkpoints = checkpoints;
    this.refusals = refusals;
    this.events = events;
    this.listener = listener;
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
   * Queues a checkpoint. The future completes once it committed, or fails with {@link
   * LeaseLostException} (nothing written; {@link CheckpointNotNewerException} if only the seq was
   * behind) or the database's error.
   */
  public CompletableFuture<CheckpointReceipt> submit(Lease lease, CheckpointWrite write) {
    CompletableFuture<CheckpointReceipt> done = new CompletableFuture<>();
    UUID job = lease.jobId();
    inFlight.put(job, done);
    done.whenComplete((receipt, error) -> inFlight.remove(job, done));
    queue.add(new Pending(new LeasedWrite(lease, write), done));
    return done;
  }

  /** Waits until the job's checkpoint in flight, if any, committed or failed. */
  public void awaitInFlight(UUID jobId) {
    CompletableFuture<CheckpointReceipt> pending = inFlight.get(jobId);
    if (pending != null) {
      pending.handle((receipt, error) -> null).join();
    }
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
        // Even an Error: the runners waiting on this batch must learn that it was not written.
        LOG.errorf(e, "Checkpoint writer failed on a batch of %d", batch.size());
        batch.forEach(p -> p.done().completeExceptionally(e));
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
    BatchOutcome outcome;
    long started = System.nanoTime();
    long took;
    try {
      outcome = checkpoints.saveCheckpoints(batch.stream().map(Pending::write).toList(), keep);
      took = System.nanoTime() - started;
      LOG.debugf("Committed %d checkpoints in %.1f ms", Integer.valueOf(batch.size()), Double.valueOf(took / 1e6));
    } catch (RuntimeException e) {
      batch.forEach(p -> p.done().completeExceptionally(e));
      return;
    }
    OffsetDateTime now = OffsetDateTime.now();
    List<NewEvent> refused = new ArrayList<>();
    List<Pending> lost = new ArrayList<>();
    int committed = 0;
    long bytes = 0;
    for (Pending p : batch) {
      Lease lease = p.write().lease();
      CheckpointWrite write = p.write().write();
      Optional<io.checkpointd.model.RequestedStop> fenced = outcome.fenced().get(lease.jobId());
      if (fenced == null) {
        refused.add(new NewEvent(lease.jobId(), JobEventType.WRITE_REFUSED, "checkpoint " + write.seq() + " at iteration "
            + write.iteration() + " from " + lease.owner() + " (epoch " + lease.epoch() + "): its lease had moved on"));
        lost.add(p);
      } else if (!outcome.stored().contains(lease.jobId())) {
        p.done().completeExceptionally(new CheckpointNotNewerException(lease, write.seq()));
      } else {
        committed++;
        bytes += write.state().length;
        events.publish(JobEvent.checkpointed(lease.jobId(), write.seq(), write.iteration(), now));
        p.done().complete(new CheckpointReceipt(write.seq(), fenced.orElse(null)));
      }
    }
    listener.batchDone(committed, bytes, refused.size(), took);
    // recorded before the stale writers hear of it, so whoever they tell finds it in the history
    recordRefused(refused);
    lost.forEach(p -> p.done().completeExceptionally(new LeaseLostException(p.write().lease())));
  }

  /** Zombie writes prevented, in the jobs' histories: rare, and worth seeing. */
  private void recordRefused(List<NewEvent> refused) {
    if (refused.isEmpty()) {
      return;
    }
    try {
      refusals.append(refused);
    } catch (RuntimeException e) {
      LOG.warnf("Could not record %d refused checkpoint writes: %s", refused.size(), e.getMessage());
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
