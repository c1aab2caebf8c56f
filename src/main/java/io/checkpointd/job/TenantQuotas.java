package io.checkpointd.job;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.config.QuotasConfig;
import io.checkpointd.persistence.JobStore;
import io.checkpointd.persistence.TenantStorage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a tenant may still create: its active jobs (QUEUED and RUNNING, counted in the database up
 * to the quota), its creations per minute (a token bucket per tenant on this instance), and whether
 * it stores more checkpoint bytes than its quota.
 *
 * <p>The count is not a lock: creations racing each other may pass the active-jobs quota by as
 * many as race. Why not a lock: it would serialise every creation of a tenant for a bound that is
 * there to stop runaway clients, not to be exact. Nor is it taken at every creation: counting a
 * tenant's thousands of queued jobs at each one cost the creations' throughput, so the count is
 * taken at most once a second per tenant, and again when this instance's own creations since could
 * have reached the quota ({@link ActiveJobsCount}).
 *
 * <p>The stored bytes are summed at most once a second per tenant, when it creates: a creation adds
 * no bytes, and checkpoints are not counted as they are written, which would put work on the group
 * commit's path. So a tenant is refused within a second of going over, and admitted within a second
 * of deleting enough.
 */
@ApplicationScoped
public class TenantQuotas {

  private static final long STORED_RETRY_SECONDS = 60;
  // Long ago, yet now - NEVER does not overflow (now - Long.MIN_VALUE wraps negative: never stale).
  private static final long NEVER = Long.MIN_VALUE / 2;

  private final QuotasConfig quotas;
  private final JobStore jobs;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, ActiveJobsCount> counts = new ConcurrentHashMap<>();
  private final TenantStorage storage;
  private final Map<String, Stored> stored = new ConcurrentHashMap<>();

  TenantQuotas(CheckpointdConfig config, JobStore jobs, TenantStorage storage, Clock clock) {
    this.quotas = config.quotas();
    this.jobs = jobs;
    this.storage = storage;
    this.clock = clock;
  }

  /** Takes one creation from the tenant's quotas, or says which one is spent. */
  public void admitCreation(String tenant) {
    int perMinute = quotas.creationsPerMinute(tenant);
    Bucket bucket = buckets.computeIfAbsent(tenant, t -> new Bucket(perMinute, clock.millis()));
    long waitMillis = bucket.take(perMinute, clock.millis());
    if (waitMillis > 0) {
      throw new QuotaExceededException("creations-per-minute", perMinute, Math.max(1, (waitMillis + 999) / 1000),
          "tenant " + tenant + " may create " + perMinute + " jobs a minute (checkpointd.quotas.creations-per-minute)");
    }
    long storedQuota = quotas.storedBytes(tenant);
    long bytes = stored.computeIfAbsent(tenant, t -> new Stored()).bytes(clock.millis(), () -> storage.storedBytes(tenant));
    if (bytes >= storedQuota) {
      // it frees only as jobs are deleted (by a client, or by retention): no point retrying soon
      throw new QuotaExceededException("stored-bytes", storedQuota, STORED_RETRY_SECONDS, "tenant " + tenant + " stores "
          + bytes + " bytes of checkpoints, at least its quota of " + storedQuota
          + " (checkpointd.quotas.stored-bytes); delete finished jobs it no longer needs");
    }
    int active = quotas.activeJobs(tenant);
    ActiveJobsCount count = counts.computeIfAbsent(tenant, t -> new ActiveJobsCount());
    if (!count.admit(active, clock.millis(), () -> jobs.countActive(tenant, active))) {
      throw new QuotaExceededException("active-jobs", active, 5, "tenant " + tenant + " has " + active
          + " queued and running jobs, its quota (checkpointd.quotas.active-jobs); wait for some to finish, or cancel some");
    }
  }

  /** A tenant's stored bytes as last summed. */
  private static final class Stored {
    private static final long FRESH_MILLIS = 1000;
    private long bytes;
    private long summedAt = NEVER;

    /** The figure, summed again when older than a second. */
    synchronized long bytes(long now, java.util.function.LongSupplier sum) {
      if (now - summedAt > FRESH_MILLIS) {
        bytes = sum.getAsLong();
        summedAt = now;
      }
      return bytes;
    }
  }

  /** Refilled continuously at {@code perMinute} a minute, holding at most a minute's worth. */
  private static final class Bucket {
    private double tokens;
    private long at;

    Bucket(int perMinute, long now) {
      this.tokens = perMinute;
      this.at = now;
    }

    /** 0 when a token was taken; otherwise how long until there is one. */
    synchronized long take(int perMinute, long now) {
      tokens = Math.min(perMinute, tokens + (now - at) * perMinute / 60_000.0);
      at = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) * 60_000.0 / perMinute);
    }
  }
}
