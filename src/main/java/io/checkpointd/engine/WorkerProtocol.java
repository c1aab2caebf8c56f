package io.checkpointd.engine;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.engine.checkpoint.CheckpointReceipt;
import io.checkpointd.engine.checkpoint.CheckpointWriter;
import io.checkpointd.engine.lease.HeldLeases;
import io.checkpointd.engine.lease.LeaseHolder;
import io.checkpointd.model.ClaimedJob;
import io.checkpointd.model.CheckpointWrite;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.Lease;
import io.checkpointd.model.LeaseLostException;
import io.checkpointd.model.RequestedStop;
import io.checkpointd.persistence.ClaimStore;
import io.checkpointd.persistence.LeaseStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one protocol every worker speaks, in-process or over HTTP: claim → renew / checkpoint →
 * succeed, fail or release. Each step is fenced by the lease the claim handed out; a lost lease
 * throws {@link LeaseLostException} and the worker must stop. Answers carry any pause or cancel
 * a client asked for.
 *
 * <p>The order of writes is kept here, for every worker: a job's checkpoint in flight commits
 * before anything that finishes or hands over the job, so no checkpoint lands after its job
 * succeeded (its checkpoints are deleted then) or another worker took it.
 */
@ApplicationScoped
public class WorkerProtocol {

  private final ClaimStore claims;
  private final LeaseStore leases;
  private final CheckpointWriter writer;
  private final HeldLeases held;
  private final CheckpointdConfig config;

  WorkerProtocol(ClaimStore claims, LeaseStore leases, CheckpointWriter writer, HeldLeases held, CheckpointdConfig config) {
    this.claims = claims;
    this.leases = leases;
    this.writer = writer;
    this.held = held;
    this.config = config;
  }

  /** Leases up to {@code limit} queued jobs of {@code kinds} to {@code worker}, oldest first. */
  public List<ClaimedJob> claim(String worker, Collection<String> kinds, int limit, Duration ttl) {
    return claims.claim(worker, kinds, null, limit, ttl);
  }

  /** As {@link #claim(String, Collection, int, Duration)}, only jobs of {@code tenant} (null: any). */
  public List<ClaimedJob> claim(String worker, Collection<String> kinds, String tenant, int limit, Duration ttl) {
    return claims.claim(worker, kinds, tenant, limit, ttl);
  }

  /**
   * One job for {@code worker}, as a claim made with {@code claimKey}: the job that claim already
   * leased if the worker still holds it (its answer was lost and the worker asks again), else a
   * new one, remembered under the key.
   */
  public Optional<ClaimedJob> claimOnce(String worker, Collection<String> kinds, String tenant, Duration ttl, String claimKey) {
    Optional<ClaimedJob> before = claims.claimedBefore(worker, claimKey, tenant);
    if (before.isPresent()) {
      return before;
    }
    return claims.claim(worker, kinds, tenant, 1, ttl, claimKey).stream().findFirst();
  }

  /** Has the heartbeat renew {@code holder}'s lease until {@link #drop}. */
  public void hold(LeaseHolder holder) {
    held.hold(holder);
  }

  public void drop(LeaseHolder holder) {
    held.drop(holder);
  }

  /** Renews one lease by the TTL it was claimed with, recording progress. */
  public LeaseStore.Renewal renew(Lease lease, long iteration) {
    return leases.renewOne(lease, iteration);
  }

  /**
   * Queues a checkpoint for group commit: it shares a transaction with every other worker's
   * checkpoints queued meanwhile. The future completes once it is durable.
   */
  public CompletableFuture<CheckpointReceipt> checkpoint(Lease lease, CheckpointWrite write) {
    return writer.submit(lease, write);
  }

  public void succeed(Lease lease, long iteration, String resultJson) {
    writer.awaitInFlight(lease.jobId());
    leases.succeed(lease, iteration, resultJson);
  }

  /** A failed attempt the same worker retries after {@code backoff}, holding the lease meanwhile. */
  public void retrying(Lease lease, int attempts, String error, Duration backoff) {
    writer.awaitInFlight(lease.jobId());
    leases.recordRetry(lease, attempts, error, backoff);
  }

  /** A failed attempt any worker may retry after {@code backoff}: the job is queued again. */
  public void retryLater(Lease lease, int attempts, String error, Duration backoff) {
    writer.awaitInFlight(lease.jobId());
    leases.retryLater(lease, attempts, error, backoff);
  }

  public void fail(Lease lease, String error, int attempts) {
    writer.awaitInFlight(lease.jobId());
    leases.fail(lease, error, attempts);
  }

  /** Gives the job back at {@code iteration}: queued again at once, or stopped if a stop was asked for. */
  public JobStatus release(Lease lease, long iteration, String why) {
    writer.awaitInFlight(lease.jobId());
    return leases.release(lease, iteration, why);
  }

  /**
   * Honours a pause or cancel at {@code iteration}; false if it was withdrawn meanwhile and the job
   * goes on.
   */
  public boolean stop(Lease lease, RequestedStop stop, long iteration) {
    writer.awaitInFlight(lease.jobId());
    return leases.stopAsRequested(lease, stop, iteration);
  }

  /** The lease TTL of in-process workers. */
  public Duration defaultTtl() {
    return config.lease().ttl();
  }
}
