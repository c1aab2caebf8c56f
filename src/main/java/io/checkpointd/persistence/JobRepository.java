package io.checkpointd.persistence;

import io.checkpointd.job.JobEventType;
import io.checkpointd.job.JobStatus;
import io.checkpointd.job.JobTransitions;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Jobs, in the engine's and the commands' verbs. Reads go through Panache; every write that changes
 * ownership or status is one conditional SQL statement, because only the database can arbitrate
 * between instances, and between a worker and a client's command, without in-memory locks.
 */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<JobEntity, UUID> {

  // A requeued job honours the stop its client asked for: it must never run again by accident.
  private static final String STATUS_AFTER_REQUEST =
      "status = case requested when 'PAUSE' then 'PAUSED' when 'CANCEL' then 'CANCELLED' else 'QUEUED' end,"
          + " finished_at = case requested when 'CANCEL' then now() else finished_at end, requested = null";

  private final Sql sql;
  private final JobEventRepository events;
  private final DatabaseClock clock;

  JobRepository(Sql sql, JobEventRepository events, DatabaseClock clock) {
    this.sql = sql;
    this.events = events;
    this.clock = clock;
  }

  /** The columns of a new job. */
  public record NewJobRow(
      UUID id, String kind, String params, Integer everyIterations, Double everySeconds, long total, int maxAttempts,
      String idempotencyKey, String requestHash) {}

  /** A new job, QUEUED; with an idempotency key already used, the job that key created instead. */
  @Transactional
  public Created create(NewJobRow row) {
    int inserted =
        sql.update(
            "insert into job (id, kind, params, checkpoint_every_iterations, checkpoint_every_seconds, status, total,"
                + " max_attempts, idempotency_key, request_hash) values (?, ?, ?::jsonb, ?, ?, 'QUEUED', ?, ?, ?, ?)"
                + " on conflict (idempotency_key) do nothing",
            ps -> {
              ps.setObject(1, row.id());
              ps.setString(2, row.kind());
              ps.setString(3, row.params());
              ps.setObject(4, row.everyIterations());
              ps.setObject(5, row.everySeconds());
              ps.setLong(6, row.total());
              ps.setInt(7, row.maxAttempts());
              ps.setString(8, row.idempotencyKey());
              ps.setString(9, row.requestHash());
            });
    if (inserted == 0) {
      return new Created(find("idempotencyKey", row.idempotencyKey()).firstResult(), false);
    }
    events.append(row.id(), JobEventType.CREATED, null);
    notifyAll(JobSignal.queued());
    return new Created(findById(row.id()), true);
  }

  /** The job {@link #create} stored or found, and whether it is new. */
  public record Created(JobEntity job, boolean isNew) {}

  /** Newest first, after {@code cursor} (the last job of the previous page), at most {@code limit}. */
  @Transactional
  public List<JobEntity> list(Optional<JobStatus> status, Optional<String> kind, Optional<JobCursor> after, int limit) {
    StringBuilder where = new StringBuilder("1 = 1");
    Parameters params = new Parameters();
    status.ifPresent(s -> {
      where.append(" and status = :status");
      params.and("status", s);
    });
    kind.ifPresent(k -> {
      where.append(" and kind = :kind");
      params.and("kind", k);
    });
    after.ifPresent(c -> {
      where.append(" and (createdAt < :createdAt or (createdAt = :createdAt and id < :id))");
      params.and("createdAt", c.createdAt()).and("id", c.id());
    });
    return find(where + " order by createdAt desc, id desc", params).page(0, limit).list();
  }

  /**
   * A client's command as compare-and-set: moves the job from exactly ({@code from}, {@code
   * fromRequested}) to ({@code to}, {@code toRequested}). False when the job changed in between;
   * the caller reads it again and decides again, so racing commands end in one consistent state.
   */
  @Transactional
  public boolean compareAndSet(
      UUID id, JobStatus from, RequestedStop fromRequested, JobStatus to, RequestedStop toRequested, JobEventType event) {
    if (from != to) {
      JobTransitions.check(from, to);
    }
    int rows =
        sql.update(
            "update job set status = ?, requested = ?, updated_at = now(),"
                + " finished_at = case when ? in ('CANCELLED', 'SUCCEEDED') then now() when ? = 'QUEUED' then null"
                + " else finished_at end,"
                // a resumed job gets a fresh set of attempts
                + " attempts = case when ? = 'QUEUED' then 0 else attempts end,"
                + " error = case when ? = 'QUEUED' then null else error end"
                + " where id = ? and status = ? and requested is not distinct from ?",
            ps -> {
              ps.setString(1, to.name());
              ps.setString(2, toRequested == null ? null : toRequested.name());
              ps.setString(3, to.name());
              ps.setString(4, to.name());
              ps.setString(5, to.name());
              ps.setString(6, to.name());
              ps.setObject(7, id);
              ps.setString(8, from.name());
              ps.setString(9, fromRequested == null ? null : fromRequested.name());
            });
    if (rows == 1 && event != null) {
      events.append(id, event, null);
    }
    if (rows == 1 && to == JobStatus.QUEUED) {
      notifyAll(JobSignal.queued());
    }
    if (rows == 1 && toRequested != null) {
      notifyAll(JobSignal.stop(id, toRequested));
    }
    return rows == 1;
  }

  /** Deletes a job (and, by cascade, its checkpoints and events) if it is in one of {@code statuses}. */
  @Transactional
  public boolean deleteIf(UUID id, Set<JobStatus> statuses) {
    String in = statuses.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    return sql.update("delete from job where id = ? and status in (" + in + ")", ps -> ps.setObject(1, id)) == 1;
  }

  /**
   * Leases up to {@code limit} queued jobs, oldest first, to {@code owner}. SKIP LOCKED lets
   * instances claim concurrently without waiting on each other; the epoch increment is the fence
   * that every later write of this owner must name.
   */
  @Transactional
  public List<ClaimedJob> claim(String owner, int limit, Duration ttl) {
    if (limit <= 0) {
      return List.of();
    }
    return sql.query(
        "with claimed as (update job set status = 'RUNNING', owner = ?, epoch = epoch + 1,"
            + " lease_expires_at = " + clock.now() + " + ? * interval '1 millisecond', rate = null,"
            + " started_at = coalesce(started_at, now()), updated_at = now(), " + JobRows.SYNC_LAST_CHECKPOINT
            + " where id in (select id from job where status = 'QUEUED' order by created_at, id limit ?"
            + " for update skip locked)"
            + " returning id, kind, params::text, checkpoint_every_iterations, checkpoint_every_seconds, epoch, total,"
            + " attempts, max_attempts, last_checkpoint_seq, last_checkpoint_iteration),"
            + " logged as (insert into job_event (job_id, type, detail) select id, 'STARTED',"
            + " 'on ' || ? || ' (epoch ' || epoch || ') from ' || coalesce('checkpoint ' || last_checkpoint_seq"
            + " || ' at iteration ' || last_checkpoint_iteration, 'the beginning') from claimed)"
            + " select * from claimed",
        ps -> {
          ps.setString(1, owner);
          ps.setLong(2, ttl.toMillis());
          ps.setInt(3, limit);
          ps.setString(4, owner);
        },
        rs -> new ClaimedJob(
            rs.getObject(1, UUID.class),
            rs.getString(2),
            rs.getString(3),
            (Integer) rs.getObject(4),
            (Double) rs.getObject(5),
            rs.getLong(6),
            rs.getLong(7),
            rs.getInt(8),
            rs.getInt(9),
            rs.getLong(10)));
  }

  /** Where one running job has got to, and how fast (iterations per second, null if unknown). */
  public record Progress(Lease lease, long iteration, Double rate) {}

  /** A renewed lease, with any stop a client has asked for since. */
  public record Renewal(UUID jobId, RequestedStop requested) {}

  /**
   * Renews the leases of all the given jobs in one statement and records their progress. Returns
   * the renewed ones; the others were lost and must stop.
   */
  @Transactional
  public List<Renewal> heartbeat(String owner, Duration ttl, List<Progress> running) {
    if (running.isEmpty()) {
      return List.of();
    }
    UUID[] ids = running.stream().map(p -> p.lease().jobId()).toArray(UUID[]::new);
    Long[] epochs = running.stream().map(p -> p.lease().epoch()).toArray(Long[]::new);
    Long[] iterations = running.stream().map(Progress::iteration).toArray(Long[]::new);
    Double[] rates = running.stream().map(Progress::rate).toArray(Double[]::new);
    return sql.query(
        JobRows.LOCK_IN_ID_ORDER
            + " update job j set lease_expires_at = " + clock.now() + " + ? * interval '1 millisecond',"
            + " iteration = v.iteration, rate = v.rate, updated_at = now()"
            + " from unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::float8[]) as v(id, epoch, iteration, rate)"
            + " where j.id = v.id and j.epoch = v.epoch and j.owner = ? and j.status = 'RUNNING'"
            + " and " + JobRows.LOCKED_FIRST + " returning j.id, j.requested",
        ps -> {
          ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids));
          ps.setLong(2, ttl.toMillis());
          ps.setArray(3, ps.getConnection().createArrayOf("uuid", ids));
          ps.setArray(4, ps.getConnection().createArrayOf("bigint", epochs));
          ps.setArray(5, ps.getConnection().createArrayOf("bigint", iterations));
          ps.setArray(6, ps.getConnection().createArrayOf("float8", rates));
          ps.setString(7, owner);
        },
        rs -> new Renewal(rs.getObject(1, UUID.class), RequestedStop.of(rs.getString(2))));
  }

  /**
   * Takes back the jobs still leased to {@code owner}: called at start-up, when finding them means
   * this instance's previous life died holding them. No need to wait out their leases.
   */
  @Transactional
  public int requeueAbandonedBy(String owner, int maxRecoveriesWithoutProgress) {
    return requeue("owner = ? and status = 'RUNNING'", "its owner " + owner + " restarted",
        maxRecoveriesWithoutProgress, ps -> ps.setString(1, owner));
  }

  /** Takes back the jobs whose owner stopped renewing their lease (by the database's clock). */
  @Transactional
  public int requeueExpired(int maxRecoveriesWithoutProgress) {
    // SKIP LOCKED: a frozen owner may hold a job's row lock mid-transaction; the reaper must not
    // hang on it (the server ends that transaction after idle_in_transaction_session_timeout).
    return requeue(
        "id in (select id from job where status = 'RUNNING' and lease_expires_at < " + clock.now()
            + " for update skip locked)",
        "its owner stopped renewing the lease",
        maxRecoveriesWithoutProgress,
        ps -> {});
  }

  private int requeue(String where, String why, int maxRecoveries, Sql.Binder binder) {
    // A job that has cost this many owners in a row without a new checkpoint is probably what
    // kills them: fail it rather than pass it around the cluster forever.
    String recoveriesInARow =
        "(case when " + JobRows.CHECKPOINTED_SINCE_SYNC + " then 1 else recoveries_since_checkpoint + 1 end)";
    String crashLoop = "requested is null and " + recoveriesInARow + " >= " + maxRecoveries;
    int requeued = sql.query(
            "with recovered as (update job set"
                + " error = case when " + crashLoop + " then 'lost its owner ' || " + recoveriesInARow
                + " || ' times in a row without a new checkpoint; resume it to try again' else error end,"
                + " finished_at = case when " + crashLoop + " or requested = 'CANCEL' then now() else finished_at end,"
                + " status = case when " + crashLoop + " then 'FAILED' when requested = 'PAUSE' then 'PAUSED'"
                + " when requested = 'CANCEL' then 'CANCELLED' else 'QUEUED' end, requested = null,"
                + " owner = null, lease_expires_at = null, recoveries = recoveries + 1,"
                + " recoveries_since_checkpoint = " + recoveriesInARow + ", " + JobRows.SYNC_LAST_CHECKPOINT + ","
                + " rate = null, updated_at = now() where " + where
                + " returning id, status, last_checkpoint_seq, last_checkpoint_iteration),"
                + " logged as (insert into job_event (job_id, type, detail) select id, 'RECOVERED', '" + why
                + "; ' || case status when 'QUEUED' then 'resumes from ' else 'now ' || status || ' at ' end"
                + " || coalesce('checkpoint ' || last_checkpoint_seq || ' (iteration ' || last_checkpoint_iteration"
                + " || ')', 'the beginning') from recovered)"
                + " select id from recovered",
            binder,
            rs -> rs.getObject(1, UUID.class))
        .size();
    if (requeued > 0) {
      notifyAll(JobSignal.queued());
    }
    return requeued;
  }

  /**
   * Gives a running job back (graceful shutdown) so that any instance can take it at once; a
   * pending pause or cancel takes effect instead.
   */
  @Transactional
  public void release(Lease lease, long iteration) {
    fenced(
        "update job set " + STATUS_AFTER_REQUEST + ", owner = null, lease_expires_at = null, iteration = ?,"
            + " rate = null, updated_at = now() where id = ? and epoch = ? and owner = ? and status = 'RUNNING'",
        ps -> {
          ps.setLong(1, iteration);
          setLease(ps, 2, lease);
        },
        lease);
    events.append(lease.jobId(), JobEventType.RELEASED, "by " + lease.owner() + " at iteration " + iteration + " for shutdown");
    notifyAll(JobSignal.queued());
  }

  /**
   * Honours a pause or cancel at {@code iteration}. False if the request was withdrawn meanwhile
   * (a resume cleared a pending pause) while this owner still holds the job: it goes on running.
   *
   * @throws LeaseLostException when the job is no longer this owner's
   */
  @Transactional
  public boolean stopAsRequested(Lease lease, RequestedStop stop, long iteration) {
    JobStatus to = stop == RequestedStop.PAUSE ? JobStatus.PAUSED : JobStatus.CANCELLED;
    int rows =
        sql.update(
            "update job set status = ?, requested = null, owner = null, lease_expires_at = null, iteration = ?,"
                + " rate = null, updated_at = now(), finished_at = case when ? = 'CANCELLED' then now() end"
                + " where id = ? and epoch = ? and owner = ? and status = 'RUNNING' and requested = ?",
            ps -> {
              ps.setString(1, to.name());
              ps.setLong(2, iteration);
              ps.setString(3, to.name());
              setLease(ps, 4, lease);
              ps.setString(7, stop.name());
            });
    if (rows == 1) {
      events.append(lease.jobId(), stop == RequestedStop.PAUSE ? JobEventType.PAUSED : JobEventType.CANCELLED,
          "at iteration " + iteration);
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
    return !sql.query(
            "select 1 from job where id = ? and epoch = ? and owner = ? and status = 'RUNNING'",
            ps -> setLease(ps, 1, lease),
            rs -> 1)
        .isEmpty();
  }

  /** Stores the result; the checkpoints have served their purpose and go. */
  @Transactional
  public void succeed(Lease lease, long iteration, String resultJson) {
    fenced(
        "update job set status = 'SUCCEEDED', result = ?::jsonb, iteration = ?, error = null, owner = null,"
            + " lease_expires_at = null, requested = null, rate = null, finished_at = now(), updated_at = now(), "
            + JobRows.SYNC_LAST_CHECKPOINT + " where id = ? and epoch = ? and owner = ? and status = 'RUNNING'",
        ps -> {
          ps.setString(1, resultJson);
          ps.setLong(2, iteration);
          setLease(ps, 3, lease);
        },
        lease);
    sql.update("delete from checkpoint where job_id = ?", ps -> ps.setObject(1, lease.jobId()));
    events.append(lease.jobId(), JobEventType.SUCCEEDED, "after " + iteration + " iterations");
  }

  /** A failed attempt that will be retried: counted and explained on the job, which keeps running. */
  @Transactional
  public void recordRetry(Lease lease, int attempts, String error, Duration backoff) {
    fenced(
        "update job set attempts = ?, error = ?, updated_at = now()"
            + " where id = ? and epoch = ? and owner = ? and status = 'RUNNING'",
        ps -> {
          ps.setInt(1, attempts);
          ps.setString(2, error);
          setLease(ps, 3, lease);
        },
        lease);
    events.append(lease.jobId(), JobEventType.RETRIED,
        "attempt " + attempts + " failed (" + error + "); retrying from the last checkpoint in " + backoff.toMillis() + " ms");
  }

  @Transactional
  public void fail(Lease lease, String error, int attempts) {
    fenced(
        "update job set status = 'FAILED', error = ?, attempts = ?, owner = null, lease_expires_at = null,"
            + " requested = null, rate = null, finished_at = now(), updated_at = now()"
            + " where id = ? and epoch = ? and owner = ? and status = 'RUNNING'",
        ps -> {
          ps.setString(1, error);
          ps.setInt(2, attempts);
          setLease(ps, 3, lease);
        },
        lease);
    events.append(lease.jobId(), JobEventType.FAILED, error);
  }

  /**
   * Tells every instance (LISTEN/NOTIFY), when the transaction commits: a queued job is claimed
   * within milliseconds, a pause or cancel reaches its owner wherever it runs.
   */
  private void notifyAll(String signal) {
    sql.query("select pg_notify(?, ?)", ps -> {
      ps.setString(1, JobSignal.CHANNEL);
      ps.setString(2, signal);
    }, rs -> 1);
  }

  static void setLease(PreparedStatement ps, int from, Lease lease) throws SQLException {
    ps.setObject(from, lease.jobId());
    ps.setLong(from + 1, lease.epoch());
    ps.setString(from + 2, lease.owner());
  }

  /** A write fenced by the lease: zero rows means the lease is gone. */
  private void fenced(String statement, Sql.Binder binder, Lease lease) {
    int rows = sql.update(statement, binder);
    if (rows == 0) {
      throw new LeaseLostException(lease);
    }
    if (rows > 1) {
      throw new IllegalStateException("fenced update of job " + lease.jobId() + " matched " + rows + " rows");
    }
  }

  /** The cursor of {@link #list}: the position of the last job returned. */
  public record JobCursor(OffsetDateTime createdAt, UUID id) {}
}
