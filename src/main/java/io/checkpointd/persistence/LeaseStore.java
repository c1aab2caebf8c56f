package io.checkpointd.persistence;

import io.checkpointd.model.JobEventType;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.Lease;
import io.checkpointd.model.LeaseLostException;
import io.checkpointd.model.NewEvent;
import io.checkpointd.model.RequestedStop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What workers do under a lease ({@link ClaimStore} hands leases out): renew, give back, finish.
 * Every write names the lease it is made under ({@link JobRows#FENCE}); zero rows means the lease
 * is gone and the writer must stop. Lease time is the database's clock.
 */
@ApplicationScoped
public class LeaseStore {

  private final Sql sql;
  private final EventStore events;
  private final DatabaseClock clock;

  LeaseStore(@Sql.Engine Sql sql, EventStore events, DatabaseClock clock) {
    this.sql = sql;
    this.events = events;
    this.clock = clock;
  }

  /** Where one running job has got to, and how fast (iterations per second, null if unknown). */
  public record Progress(Lease lease, long iteration, Double rate) {}

  /** A renewed lease, until when, with any stop a client has asked for since. */
  public record Renewal(UUID jobId, RequestedStop requested, OffsetDateTime expiresAt) {}

  /**
   * Renews the leases of all the given jobs in one statement and records their progress. Returns
   * the renewed ones; the others were lost and must stop.
   */
  @Transactional
  public List<Renewal> renew(Duration ttl, List<Progress> running) {
    if (running.isEmpty()) {
      return List.of();
    }
    return sql.query(
        JobRows.LOCK_IN_ID_ORDER
            + " update job j set lease_expires_at = " + clock.now() + " + ? * interval '1 millisecond',"
            + " iteration = greatest(j.iteration, v.iteration), rate = coalesce(v.rate, j.rate), updated_at = now()"
            + " from unnest(?::uuid[], ?::bigint[], ?::text[], ?::bigint[], ?::float8[])"
            + " as v(id, epoch, owner, iteration, rate)"
            + " where " + JobRows.FENCE_MANY + " and " + JobRows.LOCKED_FIRST
            + " returning j.id, j.requested, j.lease_expires_at",
        ps -> {
          UUID[] ids = running.stream().map(p -> p.lease().jobId()).toArray(UUID[]::new);
          ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids));
          ps.setLong(2, ttl.toMillis());
          ps.setArray(3, ps.getConnection().createArrayOf("uuid", ids));
          ps.setArray(4, ps.getConnection().createArrayOf("bigint", running.stream().map(p -> p.lease().epoch()).toArray()));
          ps.setArray(5, ps.getConnection().createArrayOf("text", running.stream().map(p -> p.lease().owner()).toArray()));
          ps.setArray(6, ps.getConnection().createArrayOf("bigint", running.stream().map(Progress::iteration).toArray()));
          ps.setArray(7, ps.getConnection().createArrayOf("float8", running.stream().map(Progress::rate).toArray()));
        },
        rs -> new Renewal(rs.getObject(1, UUID.class), RequestedStop.of(rs.getString(2)), rs.getObject(3, OffsetDateTime.class)));
  }

  /**
   * Renews one lease with the TTL its worker was given at claim time.
   *
   * @throws LeaseLostException when the lease is gone
   */
  @Transactional
  public Renewal renewOne(Lease lease, long iteration) {
    return sql.query(
            "update job set lease_expires_at = " + clock.now() + " + lease_ttl_ms * interval '1 millisecond',"
                + " iteration = greatest(iteration, ?), updated_at = now() where " + JobRows.FENCE
                + " returning id, requested, lease_expires_at",
            ps -> {
              ps.setLong(1, iteration);
              JobRows.bindFence(ps, 2, lease);
            },
            rs -> new Renewal(rs.getObject(1, UUID.class), RequestedStop.of(rs.getString(2)), rs.getObject(3, OffsetDateTime.class)))
        .stream()
        .findFirst()
        .orElseThrow(() -> new LeaseLostException(lease));
  }

  /**
   * Gives a running job back so that any worker can take it at once; a pending pause or cancel
   * takes effect instead.
   *
   * @return the status the job took
   */
  @Transactional
  public JobStatus release(Lease lease, long iteration, String why) {
    JobStatus status = fenced(
        "update job set " + JobRows.STATUS_AFTER_REQUEST + ", owner = null, lease_expires_at = null,"
            + " iteration = greatest(iteration, ?), rate = null, updated_at = now(), " + JobRows.SYNC_LAST_CHECKPOINT
            + " where " + JobRows.FENCE + " returning status",
        ps -> {
          ps.setLong(1, iteration);
          JobRows.bindFence(ps, 2, lease);
        },
        lease);
    events.append(sql, lease.jobId(), status == JobStatus.QUEUED ? JobEventType.RELEASED : statusEvent(status),
        "by " + lease.owner() + " at iteration " + iteration + (why == null ? "" : " " + why));
    return status;
  }

  /**
   * Honours a pause or cancel at {@code iteration}. False if the request was withdrawn meanwhile
   * (a resume cleared a pending pause) while this owner still holds the job: it goes on running.
   *
   * @throws LeaseLostException when the job is no longer this owner's
   */
  @Transactional
  public boolean stopAsRequested(Lease lease, RequestedStop stop, long iteration) {
    int rows = sql.update(
        "update job set " + JobRows.STATUS_AFTER_REQUEST + ", owner = null, lease_expires_at = null, iteration = ?,"
            + " rate = null, updated_at = now(), " + JobRows.SYNC_LAST_CHECKPOINT + " where " + JobRows.FENCE
            + " and requested = ?",
        ps -> {
          ps.setLong(1, iteration);
          ps.setString(JobRows.bindFence(ps, 2, lease), stop.name());
        });
    if (rows == 1) {
      events.append(sql, lease.jobId(), stop.honoured(), "at iteration " + iteration);
      return true;
    }
    if (!holds(lease)) {
      throw new LeaseLostException(lease);
    }
    return false;
  }

  /** Whether {@code lease} still holds its job. */
  @Transactional
  public boolean holds(Lease lease) {
    return !sql.query("select 1 from job where " + JobRows.FENCE, ps -> JobRows.bindFence(ps, 1, lease), rs -> 1).isEmpty();
  }

  /** Failed attempts so far and the most allowed, if {@code lease} holds. */
  @Transactional
  public Optional<int[]> attempts(Lease lease) {
    return sql.query("select attempts, max_attempts from job where " + JobRows.FENCE,
            ps -> JobRows.bindFence(ps, 1, lease),
            rs -> new int[] {rs.getInt(1), rs.getInt(2)})
        .stream().findFirst();
  }

  /** Records the total a worker reported (kinds whose params do not say it). */
  @Transactional
  public void reportTotal(Lease lease, long total) {
    sql.update("update job set total = ? where " + JobRows.FENCE + " and total <> ?",
        ps -> {
          ps.setLong(1, total);
          ps.setLong(JobRows.bindFence(ps, 2, lease), total);
        });
  }

  /** The status and epoch of a job now, to tell a worker whether its finishing call already landed. */
  @Transactional
  public Optional<JobStatus> statusAtEpoch(UUID jobId, long epoch) {
    return sql.query("select status from job where id = ? and epoch = ?",
            ps -> {
              ps.setObject(1, jobId);
              ps.setLong(2, epoch);
            },
            rs -> JobStatus.valueOf(rs.getString(1)))
        .stream().findFirst();
  }

  /**
   * Stores the result; the checkpoints have served their purpose and go, unless the job's policy
   * retains them (for forks and inspection).
   */
  @Transactional
  public void succeed(Lease lease, long iteration, String resultJson) {
    fenced(
        "update job set status = 'SUCCEEDED', result = ?::jsonb, iteration = ?, error = null, owner = null,"
            + " lease_expires_at = null, requested = null, rate = null, finished_at = now(), updated_at = now(), "
            + JobRows.SYNC_LAST_CHECKPOINT + " where " + JobRows.FENCE + " returning status",
        ps -> {
          ps.setString(1, resultJson);
          ps.setLong(2, iteration);
          JobRows.bindFence(ps, 3, lease);
        },
        lease);
    sql.update("delete from checkpoint c using job j where c.job_id = ? and j.id = c.job_id"
        + " and not j.checkpoint_retain_after_success", ps -> ps.setObject(1, lease.jobId()));
    events.append(sql, lease.jobId(), JobEventType.SUCCEEDED, "after " + iteration + " iterations");
  }

  /** A failed attempt that will be retried by the same owner: counted and explained on the job, which keeps running. */
  @Transactional
  public void recordRetry(Lease lease, int attempts, String error, Duration backoff) {
    attemptFailed(lease, attempts, error, backoff, "");
  }

  /**
   * A failed attempt to be retried by any worker after {@code backoff}: queued again, not before
   * then, from its last checkpoint.
   */
  @Transactional
  public void retryLater(Lease lease, int attempts, String error, Duration backoff) {
    attemptFailed(lease, attempts, error, backoff, JobRows.STATUS_AFTER_REQUEST + ", owner = null,"
        + " lease_expires_at = null, rate = null, " + JobRows.SYNC_LAST_CHECKPOINT + ", not_before = " + clock.now()
        + " + " + backoff.toMillis() + " * interval '1 millisecond', ");
  }

  private void attemptFailed(Lease lease, int attempts, String error, Duration backoff, String alsoSet) {
    fenced(
        "update job set attempts = ?, error = ?, " + alsoSet + "updated_at = now() where " + JobRows.FENCE
            + " returning status",
        ps -> {
          ps.setInt(1, attempts);
          ps.setString(2, error);
          JobRows.bindFence(ps, 3, lease);
        },
        lease);
    events.append(sql, lease.jobId(), JobEventType.RETRIED,
        "attempt " + attempts + " failed (" + error + "); retrying from the last checkpoint in " + backoff.toMillis() + " ms");
  }

  @Transactional
  public void fail(Lease lease, String error, int attempts) {
    fenced(
        "update job set status = 'FAILED', attempts = ?, error = ?, owner = null, lease_expires_at = null,"
            + " requested = null, rate = null, finished_at = now(), updated_at = now(), " + JobRows.SYNC_LAST_CHECKPOINT
            + " where " + JobRows.FENCE + " returning status",
        ps -> {
          ps.setInt(1, attempts);
          ps.setString(2, error);
          JobRows.bindFence(ps, 3, lease);
        },
        lease);
    events.append(sql, lease.jobId(), JobEventType.FAILED, error);
  }

  private static JobEventType statusEvent(JobStatus status) {
    return status == JobStatus.PAUSED ? JobEventType.PAUSED : JobEventType.CANCELLED;
  }

  /** A write fenced by the lease, returning the job's new status; zero rows means the lease is gone. */
  private JobStatus fenced(String statement, Sql.Binder binder, Lease lease) {
    List<JobStatus> rows = sql.query(statement, binder, rs -> JobStatus.valueOf(rs.getString(1)));
    if (rows.isEmpty()) {
      throw new LeaseLostException(lease);
    }
    if (rows.size() > 1) {
      throw new IllegalStateException("fenced update of job " + lease.jobId() + " matched " + rows.size() + " rows");
    }
    return rows.get(0);
  }
}
