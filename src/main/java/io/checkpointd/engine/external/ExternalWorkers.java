package io.checkpointd.engine.external;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.engine.RetryBackoff;
import io.checkpointd.engine.WorkerProtocol;
import io.checkpointd.engine.checkpoint.CheckpointCodec;
import io.checkpointd.engine.checkpoint.CheckpointLoader;
import io.checkpointd.engine.checkpoint.CheckpointReceipt;
import io.checkpointd.engine.checkpoint.StateBytesQuota;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.model.CheckpointNotNewerException;
import io.checkpointd.model.CheckpointWrite;
import io.checkpointd.model.ClaimedJob;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.Lease;
import io.checkpointd.model.LeaseLostException;
import io.checkpointd.model.JobSnapshot;
import io.checkpointd.model.StoredCheckpoint;
import io.checkpointd.persistence.CheckpointStore;
import io.checkpointd.persistence.JobStore;
import io.checkpointd.persistence.LeaseStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * The worker protocol over HTTP: what an external worker's calls do. Every call is safe to resend
 * after a timeout: a checkpoint resent under its seq, a success, failure or release that already
 * landed, each answers as the first one did.
 */
@ApplicationScoped
public class ExternalWorkers {

  private static final Set<JobStatus> RELEASED = EnumSet.of(JobStatus.QUEUED, JobStatus.PAUSED, JobStatus.CANCELLED);

  private final WorkerProtocol protocol;
  private final LeaseStore leases;
  private final CheckpointStore checkpoints;
  private final CheckpointLoader loader;
  private final ClaimChecks claimChecks;
  private final QueueSignal queue;
  private final CheckpointdConfig config;
  private final ObjectMapper mapper;
  private final CheckpointCodec codec;
  private final RetryBackoff backoff;
  private final StateBytesQuota stateQuota;
  private final JobStore jobs;

  ExternalWorkers(
      WorkerProtocol protocol, LeaseStore leases, CheckpointStore checkpoints, CheckpointLoader loader, ClaimChecks claimChecks,
      QueueSignal queue, CheckpointdConfig config, ObjectMapper mapper, StateBytesQuota stateQuota, JobStore jobs) {
    this.protocol = protocol;
    this.claimChecks = claimChecks;
    this.leases = leases;
    this.checkpoints = checkpoints;
    this.loader = loader;
    this.queue = queue;
    this.config = config;
    this.mapper = mapper;
    this.codec = new CheckpointCodec(config.checkpoints().maxBytes(), config.checkpoints().compressAbove());
    this.backoff = new RetryBackoff(config.retry().initialBackoff(), config.retry().maxBackoff());
    this.stateQuota = stateQuota;
    this.jobs = jobs;
  }

  /**
   * Leases one queued job of {@code kinds} to {@code worker}, waiting up to {@code wait} for one to
   * be queued (anywhere in the cluster: the queued job's event wakes this wait). Only jobs of
   * {@code tenant}, and only kinds it declared, when it is not null.
   */
  public Optional<Assignment> claim(String worker, List<String> kindNames, String tenant, Duration wait, Duration ttl)
      throws InterruptedException {
    return claim(worker, kindNames, tenant, wait, ttl, null, () -> false);
  }

  /**
   * As above; with a {@code claimKey} (the request's Idempotency-Key), a claim resent after its
   * answer was lost is answered with the job it leased, under the same lease, instead of leasing a
   * second job while the first waits out its TTL.
   *
   * <p>{@code gone} says the worker stopped waiting (its connection closed): a worker stopped or
   * killed while it waits must not be handed a job that nobody runs until its lease expires. It is
   * asked before each try and after a successful one, whose job is then given back at once.
   */
  public Optional<Assignment> claim(String worker, List<String> kindNames, String tenant, Duration wait, Duration ttl,
      String claimKey, BooleanSupplier gone) throws InterruptedException {
    claimChecks.check(worker, kindNames, tenant, wait, ttl);
    long deadline = System.nanoTime() + wait.toNanos();
    while (!gone.getAsBoolean()) {
      long seen = queue.version();
      Optional<ClaimedJob> claimed = claimKey == null
          ? protocol.claim(worker, kindNames, tenant, 1, ttl).stream().findFirst()
          : protocol.claimOnce(worker, kindNames, tenant, ttl, claimKey);
      if (claimed.isPresent()) {
        ClaimedJob job = claimed.get();
        LeaseToken token = new LeaseToken(job.lease(), ttl);
        Optional<StoredCheckpoint> from = loader.newestIntact(job.id());
        if (gone.getAsBoolean()) {
          long at = from.map(StoredCheckpoint::iteration).orElse(0L);
          protocol.release(job.lease(), at, "its worker left before the claim was answered");
          return Optional.empty();
        }
        return Optional.of(new Assignment(job, LeaseGrant.of(token, job.leaseExpiresAt()), from));
      }
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return Optional.empty();
      }
      // at most a second between tries: a retried job's backoff ends without an event
      queue.awaitAfter(seen, Math.min(left, 1000));
    }
    return Optional.empty();
  }

  /** Renews the lease, recording progress; the answer says whether a stop was asked for. */
  public Ack heartbeat(UUID jobId, String token, long iteration, Long total) {
    LeaseToken lease = LeaseToken.decode(jobId, token);
    LeaseStore.Renewal renewal = protocol.renew(lease.lease(), iteration);
    if (total != null) {
      leases.reportTotal(lease.lease(), total);
    }
    return new Ack(null, iteration, LeaseGrant.of(lease, renewal.expiresAt()), renewal.requested(), false);
  }

  /**
   * Saves a checkpoint through group commit (it shares a transaction with the checkpoints of every
   * other worker queued meanwhile) and answers once it is durable. A committed checkpoint is a
   * sign of life: the lease holds for its TTL from then.
   */
  public Ack checkpoint(UUID jobId, String token, Long seq, long iteration, Long total, JsonNode state, Integer stateVersion) {
    LeaseToken lease = LeaseToken.decode(jobId, token);
    CheckpointWrite write = withinQuota(jobId, encode(lease.lease(), seq, iteration, state, stateVersion));
    CheckpointReceipt receipt;
    try {
      receipt = protocol.checkpoint(lease.lease(), write).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CheckpointNotNewerException) {
        return resent(lease, write);
      }
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    if (total != null) {
      leases.reportTotal(lease.lease(), total);
    }
    return new Ack(receipt.seq(), iteration, LeaseGrant.of(lease, expiresFromNow(lease)), receipt.stopRequested(), false);
  }

  /**
   * The same checkpoint without blocking the calling thread, for the common call (numbered, no
   * total): it only encodes and queues, and the answer comes from the group commit's completion.
   * Why: an HTTP checkpoint otherwise holds a worker thread asleep through the commit, and the
   * hand-offs to and from it cost more CPU than the checkpoint's share of the commit. Empty when
   * the call needs the database before or after its write (no seq, a total, a state larger than some
   * tenant's state-bytes quota, whose job's tenant is read): use {@link #checkpoint}.
   * A resend of a stored seq is answered on {@code blocking}, since it reads what is stored.
   */
  public Optional<CompletableFuture<Ack>> checkpointWithoutWaiting(
      UUID jobId, String token, Long seq, long iteration, Long total, JsonNode state, Integer stateVersion,
      Executor blocking) {
    if (seq == null || total != null) {
      return Optional.empty();
    }
    LeaseToken lease = LeaseToken.decode(jobId, token);
    CheckpointWrite write = encode(lease.lease(), seq, iteration, state, stateVersion);
    if (!stateQuota.withinEvery(write)) {
      return Optional.empty();
    }
    return Optional.of(protocol.checkpoint(lease.lease(), write).handle((receipt, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(
            new Ack(receipt.seq(), iteration, LeaseGrant.of(lease, expiresFromNow(lease)), receipt.stopRequested(), false));
      }
      Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
      if (cause instanceof CheckpointNotNewerException) {
        return CompletableFuture.supplyAsync(() -> resent(lease, write), blocking);
      }
      return CompletableFuture.<Ack>failedFuture(cause);
    }).thenCompose(answer -> answer));
  }

  /** Stores the result; its checkpoints go. */
  public void succeed(UUID jobId, String token, long iteration, JsonNode result) {
    LeaseToken lease = LeaseToken.decode(jobId, token);
    try {
      protocol.succeed(lease.lease(), iteration, result == null ? "null" : result.toString());
    } catch (LeaseLostException e) {
      alreadyLanded(lease.lease(), EnumSet.of(JobStatus.SUCCEEDED), e);
    }
  }

  /**
   * A failed attempt: retried by any worker after the backoff while attempts remain and the error
   * is retryable, otherwise the job is FAILED.
   */
  public void fail(UUID jobId, String token, String error, boolean retryable) {
    LeaseToken lease = LeaseToken.decode(jobId, token);
    Optional<int[]> attempts = leases.attempts(lease.lease());
    if (attempts.isEmpty()) {
      alreadyLanded(lease.lease(), EnumSet.of(JobStatus.QUEUED, JobStatus.FAILED), new LeaseLostException(lease.lease()));
      return;
    }
    int attempt = attempts.get()[0] + 1;
    String detail = "worker " + lease.lease().owner() + ": " + error;
    try {
      if (retryable && attempt < attempts.get()[1]) {
        protocol.retryLater(lease.lease(), attempt, detail, backoff.afterAttempt(attempt));
      } else {
        protocol.fail(lease.lease(), detail + " (attempt " + attempt + " of " + attempts.get()[1] + ")", attempt);
      }
    } catch (LeaseLostException e) {
      alreadyLanded(lease.lease(), EnumSet.of(JobStatus.QUEUED, JobStatus.FAILED), e);
    }
  }

  /**
   * Gives the job back at once (a worker's Ctrl+C): with a state, saved first as a final
   * checkpoint, so nothing is at risk. A pending pause or cancel takes effect instead of a requeue.
   */
  public void release(UUID jobId, String token, long iteration, Long seq, JsonNode state, Integer stateVersion) {
    LeaseToken lease = LeaseToken.decode(jobId, token);
    try {
      if (state != null) {
        checkpoint(jobId, token, seq, iteration, null, state, stateVersion);
      }
      protocol.release(lease.lease(), iteration, null);
    } catch (LeaseLostException e) {
      alreadyLanded(lease.lease(), RELEASED, e);
    }
  }

  private CheckpointWrite encode(Lease lease, Long seq, long iteration, JsonNode state, Integer stateVersion) {
    long number = seq != null ? seq : checkpoints.newestSeq(lease.jobId()) + 1;
    try {
      return codec.encode(number, iteration, stateVersion == null ? 1 : stateVersion, mapper.writeValueAsBytes(state));
    } catch (JsonProcessingException e) {
      throw new InvalidParamsException("state", "cannot be stored as JSON");
    }
  }

  /**
   * {@code write}, if within the state-bytes quota of its job's tenant. The job is read only for a
   * state larger than some tenant's quota; a job that is gone is left to the fenced write (lease lost).
   */
  private CheckpointWrite withinQuota(UUID jobId, CheckpointWrite write) {
    if (stateQuota.withinEvery(write)) {
      return write;
    }
    jobs.find(jobId).map(JobSnapshot::tenant).ifPresent(tenant -> stateQuota.check(tenant, write));
    return write;
  }

  /** A checkpoint whose seq is taken: the same one resent after a timeout, or a conflict. */
  private Ack resent(LeaseToken lease, CheckpointWrite write) {
    StoredCheckpoint stored = checkpoints.find(lease.lease().jobId(), write.seq())
        .orElseThrow(() -> new CheckpointConflictException(write.seq()));
    if (!stored.checksum().equals(write.checksum()) || stored.iteration() != write.iteration()) {
      throw new CheckpointConflictException(write.seq());
    }
    LeaseStore.Renewal renewal = protocol.renew(lease.lease(), write.iteration());
    return new Ack(write.seq(), write.iteration(), LeaseGrant.of(lease, renewal.expiresAt()), renewal.requested(), true);
  }

  /** A finishing call whose lease is gone: fine if this very lease's call already landed. */
  private void alreadyLanded(Lease lease, Set<JobStatus> landed, LeaseLostException lost) {
    Optional<JobStatus> now = leases.statusAtEpoch(lease.jobId(), lease.epoch());
    if (now.isEmpty() || !landed.contains(now.get())) {
      throw lost;
    }
  }

  private static OffsetDateTime expiresFromNow(LeaseToken lease) {
    return OffsetDateTime.now().plus(lease.ttl());
  }

  /** The TTL of a worker that asks for none. */
  public Duration defaultTtl() {
    return config.lease().ttl();
  }
}
