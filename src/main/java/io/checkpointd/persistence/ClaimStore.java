package io.checkpointd.persistence;

import io.checkpointd.model.ClaimedJob;
import io.checkpointd.model.Lease;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How a worker gets a lease: a claim of queued jobs, fair across tenants, which bumps each job's
 * epoch (the fence of every later write, see {@link LeaseStore}); and the answer to a claim resent.
 */
@ApplicationScoped
public class ClaimStore {

  private final Sql sql;
  private final DatabaseClock clock;

  ClaimStore(@Sql.Engine Sql sql, DatabaseClock clock) {
    this.sql = sql;
    this.clock = clock;
  }

  /**
   * Leases up to {@code limit} queued jobs of {@code kinds} to {@code owner}: tenants in turn (the
   * one with the fewest running first), each tenant's oldest first. SKIP
   * LOCKED lets workers claim concurrently without waiting on each other; the epoch increment is
   * the fence that every later write of this owner must name.
   */
  public List<ClaimedJob> claim(String owner, Collection<String> kinds, String tenant, int limit, Duration ttl) {
    return claim(owner, kinds, tenant, limit, ttl, null);
  }

  /** As above, remembering {@code claimKey} (if any) on the jobs claimed, for {@link #claimedBefore}. */
  public List<ClaimedJob> claim(String owner, Collection<String> kinds, String tenant, int limit, Duration ttl, String claimKey) {
    if (limit <= 0 || kinds.isEmpty()) {
      return List.of();
    }
    // One statement, with the STARTED events: it commits alone, which keeps a waiting worker's
    // claim to one round trip.
    return sql.query(
        "with claimed as (update job set status = 'RUNNING', owner = ?, epoch = epoch + 1, lease_ttl_ms = ?, claim_key = ?,"
            + " lease_expires_at = " + clock.now() + " + ? * interval '1 millisecond', rate = null, not_before = null,"
            + " started_at = coalesce(started_at, now()), updated_at = now(), " + JobRows.SYNC_LAST_CHECKPOINT
            // Fair across tenants: a tenant's n-th oldest queued job comes after every tenant's
            // jobs with fewer running plus queued before them (running + n), so tenants take turns
            // and one tenant's thousand queued jobs do not starve another's one. Why count the
            // running ones: the queue alone forgets whom the last claim served. The window is in a
            // subquery: the lock (skip locked) is taken on the job rows only.
            + " where id in (select j.id from job j join (select q.id, row_number() over (partition by q.tenant"
            + " order by q.created_at, q.id) + coalesce(max(r.running) over (partition by q.tenant), 0) as turn"
            + " from job q left join (select tenant, count(*) as running from job where status = 'RUNNING' group by tenant) r"
            + " on r.tenant = q.tenant where q.status = 'QUEUED' and q.kind = any(?) and q.tenant = coalesce(?::text, q.tenant)"
            + " and (q.not_before is null or q.not_before <= " + clock.now() + ")) fair on fair.id = j.id"
            + " where j.status = 'QUEUED' order by fair.turn, j.created_at, j.id limit ? for update of j skip locked)"
            + " returning " + CLAIMED + "), "
            // where it resumes, as the event says it (iteration too: a person reads the history)
            + EventStore.recording("select id, 'STARTED', 'on ' || ? || ' (epoch ' || epoch || ') from ' ||"
                + " case when coalesce(last_checkpoint_seq, 0) = 0 then 'the beginning'"
                + " else 'checkpoint ' || last_checkpoint_seq || ' at iteration ' || last_checkpoint_iteration end"
                + " from claimed")
            + " select claimed.* from claimed cross join signalled",
        ps -> {
          ps.setString(1, owner);
          ps.setLong(2, ttl.toMillis());
          ps.setString(3, claimKey);
          ps.setLong(4, ttl.toMillis());
          ps.setArray(5, ps.getConnection().createArrayOf("text", kinds.toArray()));
          ps.setString(6, tenant);
          ps.setInt(7, limit);
          ps.setString(8, owner);
        },
        rs -> claimed(rs, owner));
  }

  /**
   * The columns of a claimed job, as {@link #claimed} reads them. The owner numbers on from the
   * highest seq the job ever stored, set-aside ones included: a rewound job's next checkpoint must be
   * newer than every slot it may overwrite.
   */
  private static final String CLAIMED =
      "id, kind, params::text, checkpoint_every_iterations, checkpoint_every_seconds, epoch, total,"
          + " attempts, max_attempts, greatest(coalesce(last_checkpoint_seq, 0),"
          + " (select coalesce(max(c.seq), 0) from checkpoint c where c.job_id = job.id)) as next_after,"
          + " last_checkpoint_iteration, lease_expires_at, started_at, last_checkpoint_seq, tenant";

  /**
   * The job {@code owner} still holds from a claim made with {@code claimKey}: the answer to that
   * claim resent, under the same lease (a resend must not bump the epoch the first answer named).
   */
  public Optional<ClaimedJob> claimedBefore(String owner, String claimKey, String tenant) {
    return sql.query("select " + CLAIMED + " from job where status = 'RUNNING' and owner = ? and claim_key = ?"
            + " and tenant = coalesce(?::text, tenant)",
        ps -> {
          ps.setString(1, owner);
          ps.setString(2, claimKey);
          ps.setString(3, tenant);
        },
        rs -> claimed(rs, owner)).stream().findFirst();
  }

  private static ClaimedJob claimed(ResultSet rs, String owner) throws SQLException {
    return new ClaimedJob(
            rs.getObject(1, UUID.class),
            rs.getString(2),
            rs.getString(3),
            (Integer) rs.getObject(4),
            (Double) rs.getObject(5),
            new Lease(rs.getObject(1, UUID.class), owner, rs.getLong(6)),
            rs.getObject(12, OffsetDateTime.class),
            rs.getLong(7),
            rs.getInt(8),
            rs.getInt(9),
            rs.getLong(10),
            rs.getObject(13, OffsetDateTime.class),
            rs.getString(15));
  }
}
