package io.checkpointd.persistence;

import io.checkpointd.job.JobStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Jobs, in the engine's verbs. Reads go through Panache; every write that changes ownership or
 * status is one conditional SQL statement, because only the database can arbitrate between
 * instances (and between a worker and a client's command) without in-memory locks.
 */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<JobEntity, UUID> {

  private final Sql sql;

  JobRepository(Sql sql) {
    this.sql = sql;
  }

  /** A new job, QUEUED. */
  @Transactional
  public JobEntity create(UUID id, String kind, String params, Integer everyIterations, Double everySeconds, long total) {
    sql.update(
        "insert into job (id, kind, params, checkpoint_every_iterations, checkpoint_every_seconds, status, total)"
            + " values (?, ?, ?::jsonb, ?, ?, 'QUEUED', ?)",
        ps -> {
          ps.setObject(1, id);
          ps.setString(2, kind);
          ps.setString(3, params);
          ps.setObject(4, everyIterations);
          ps.setObject(5, everySeconds);
          ps.setLong(6, total);
        });
    return findById(id);
  }

  /** Newest first, after {@code cursor} (the last job of the previous page), at most {@code limit}. */
  @Transactional
  public List<JobEntity> list(
      Optional<JobStatus> status, Optional<String> kind, Optional<JobCursor> after, int limit) {
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
        "update job set status = 'RUNNING', owner = ?, epoch = epoch + 1,"
            + " lease_expires_at = now() + ? * interval '1 millisecond',"
            + " started_at = coalesce(started_at, now()), updated_at = now()"
            + " where id in (select id from job where status = 'QUEUED' order by created_at, id limit ?"
            + " for update skip locked)"
            + " returning " + JobRow.CLAIMED_COLUMNS,
        ps -> {
          ps.setString(1, owner);
          ps.setLong(2, ttl.toMillis());
          ps.setInt(3, limit);
        },
        rs -> new ClaimedJob(
            rs.getObject(1, UUID.class),
            rs.getString(2),
            rs.getString(3),
            (Integer) rs.getObject(4),
            (Double) rs.getObject(5),
            rs.getLong(6),
            rs.getLong(7)));
  }

  /**
   * Renews the leases of all the given jobs in one statement and records their progress. Returns
   * the jobs whose lease was renewed; the others were lost and must stop.
   */
  @Transactional
  public Set<UUID> heartbeat(String owner, Duration ttl, List<Progress> running) {
    if (running.isEmpty()) {
      return Set.of();
    }
    UUID[] ids = running.stream().map(p -> p.lease().jobId()).toArray(UUID[]::new);
    Long[] epochs = running.stream().map(p -> p.lease().epoch()).toArray(Long[]::new);
    Long[] iterations = running.stream().map(Progress::iteration).toArray(Long[]::new);
    List<UUID> renewed =
        sql.query(
            "update job j set lease_expires_at = now() + ? * interval '1 millisecond',"
                + " iteration = v.iteration, updated_at = now()"
                + " from unnest(?::uuid[], ?::bigint[], ?::bigint[]) as v(id, epoch, iteration)"
                + " where j.id = v.id and j.epoch = v.epoch and j.owner = ? and j.status = 'RUNNING'"
                + " returning j.id",
            ps -> {
              ps.setLong(1, ttl.toMillis());
              ps.setArray(2, ps.getConnection().createArrayOf("uuid", ids));
              ps.setArray(3, ps.getConnection().createArrayOf("bigint", epochs));
              ps.setArray(4, ps.getConnection().createArrayOf("bigint", iterations));
              ps.setString(5, owner);
            },
            rs -> rs.getObject(1, UUID.class));
    return new HashSet<>(renewed);
  }

  /** Where one running job has got to. */
  public record Progress(Lease lease, long iteration) {}

  /**
   * Queues again the jobs still leased to {@code owner}: called at start-up, when finding them
   * means this instance's previous life died holding them. No need to wait out their leases.
   */
  @Transactional
  public int requeueAbandonedBy(String owner) {
    return sql.update(
        "update job set status = 'QUEUED', owner = null, lease_expires_at = null,"
            + " recoveries = recoveries + 1, updated_at = now() where owner = ? and status = 'RUNNING'",
        ps -> ps.setString(1, owner));
  }

  /** Queues again the jobs whose owner stopped renewing their lease. */
  @Transactional
  public int requeueExpired() {
    return sql.update(
        "update job set status = 'QUEUED', owner = null, lease_expires_at = null,"
            + " recoveries = recoveries + 1, updated_at = now()"
            + " where status = 'RUNNING' and lease_expires_at < now()",
        ps -> {});
  }

  /** Gives a running job back to the queue (graceful shutdown) so any instance can take it now. */
  @Transactional
  public void release(Lease lease, long iteration) {
    update(
        "update job set status = 'QUEUED', owner = null, lease_expires_at = null, iteration = ?, updated_at = now()"
            + " where id = ? and epoch = ? and owner = ? and status = 'RUNNING'",
        ps -> {
          ps.setLong(1, iteration);
          setLease(ps, 2, lease);
        },
        lease);
  }

  /** Stores the result; the checkpoints have served their purpose and go. */
  @Transactional
  public void succeed(Lease lease, long iteration, String resultJson) {
    update(
        "update job set status = 'SUCCEEDED', result = ?::jsonb, iteration = ?, error = null, owner = null,"
            + " lease_expires_at = null, finished_at = now(), updated_at = now()"
            + " where id = ? and epoch = ? and owner = ? and status = 'RUNNING'",
        ps -> {
          ps.setString(1, resultJson);
          ps.setLong(2, iteration);
          setLease(ps, 3, lease);
        },
        lease);
    sql.update("delete from checkpoint where job_id = ?", ps -> ps.setObject(1, lease.jobId()));
  }

  @Transactional
  public void fail(Lease lease, String error) {
    update(
        "update job set status = 'FAILED', error = ?, owner = null, lease_expires_at = null,"
            + " finished_at = now(), updated_at = now()"
            + " where id = ? and epoch = ? and owner = ? and status = 'RUNNING'",
        ps -> {
          ps.setString(1, error);
          setLease(ps, 2, lease);
        },
        lease);
  }

  static void setLease(PreparedStatement ps, int from, Lease lease) throws SQLException {
    ps.setObject(from, lease.jobId());
    ps.setLong(from + 1, lease.epoch());
    ps.setString(from + 2, lease.owner());
  }

  /** A fenced update: zero rows means the lease is gone. */
  private void update(String statement, Sql.Binder binder, Lease lease) {
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
