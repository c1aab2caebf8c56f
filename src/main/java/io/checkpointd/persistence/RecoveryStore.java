package io.checkpointd.persistence;

import io.checkpointd.model.JobEventType;
import io.checkpointd.model.NewEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * Takes jobs back from workers that are gone: an instance that restarted under its own name, an
 * instance whose liveness session ended (at once), or any worker whose lease expired (after its TTL). Each job taken back honours a stop its client asked for, or is
 * queued again to resume from its newest checkpoint on any worker.
 */
@ApplicationScoped
public class RecoveryStore {

  private final Sql sql;
  private final EventStore events;
  private final DatabaseClock clock;

  RecoveryStore(@Sql.Engine Sql sql, EventStore events, DatabaseClock clock) {
    this.sql = sql;
    this.events = events;
    this.clock = clock;
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

  /**
   * Takes back the jobs of {@code instanceId} if its liveness session has ended (its lock is free)
   * and no survivor did it already; marks it no longer alive. Returns how many jobs were taken.
   * Why the instance row is updated first, in the same transaction: a process restarting under
   * that id takes the lock and then marks the row alive, which waits for this transaction; so the
   * jobs taken here are all its previous life's, never ones the new life claimed.
   */
  @Transactional
  public int requeueFromEndedSession(String instanceId, int maxRecoveriesWithoutProgress) {
    int ended = sql.update(
        "update instance i set alive = false, ended_at = now() where id = ? and alive and not " + LivenessSession.LOCK_HELD,
        ps -> ps.setString(1, instanceId));
    if (ended == 0) {
      return 0;
    }
    return requeue("owner = ? and status = 'RUNNING'", "its owner's database session ended",
        maxRecoveriesWithoutProgress, ps -> ps.setString(1, instanceId));
  }

  /**
   * FAILS the running jobs that started more than {@code max} ago (their first start, pauses and
   * retries included), wherever and however they run: an external worker that never stops, or an
   * in-process step that never returns. In-process runners check the same deadline at every step;
   * this is the backstop. The owner's next write is refused, so it stops. Returns how many.
   */
  public int failOverRuntime(java.time.Duration max, String error) {
    return sql.query(
        "with failed as (update job set status = 'FAILED', error = ?, owner = null, lease_expires_at = null,"
            + " requested = null, rate = null, finished_at = now(), updated_at = now(), " + JobRows.SYNC_LAST_CHECKPOINT
            + " where status = 'RUNNING' and started_at < " + clock.now() + " - ? * interval '1 millisecond'"
            + " returning id), "
            + EventStore.recording("select id, 'FAILED', ? from failed")
            + " select count(*) from failed cross join signalled",
        ps -> {
          ps.setString(1, error);
          ps.setLong(2, max.toMillis());
          ps.setString(3, error);
        },
        rs -> rs.getInt(1)).get(0);
  }

  /**
   * Takes back the jobs whose owner stopped renewing their lease (by the database's clock). A
   * checkpoint is a sign of life too: a job that checkpointed within its lease's TTL is not taken.
   */
  @Transactional
  public int requeueExpired(int maxRecoveriesWithoutProgress) {
    // SKIP LOCKED: a frozen owner may hold a job's row lock mid-transaction; the reaper must not
    // hang on it (the server ends that transaction after idle_in_transaction_session_timeout).
    return requeue(
        "id in (select id from job where status = 'RUNNING' and lease_expires_at < " + clock.now()
            + " and not exists (select 1 from checkpoint c where c.job_id = job.id and lease_ttl_ms is not null"
            + " and c.created_at + lease_ttl_ms * interval '1 millisecond' >= " + clock.now() + ")"
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
    record Requeued(UUID id, String status, Long seq, Long iteration) {}
    List<Requeued> requeued = sql.query(
        "update job set"
            + " error = case when " + crashLoop + " then 'lost its owner ' || " + recoveriesInARow
            + " || ' times in a row without a new checkpoint; resume it to try again' else error end,"
            + " finished_at = case when " + crashLoop + " or requested = 'CANCEL' then now() else finished_at end,"
            + " status = case when " + crashLoop + " then 'FAILED' else " + JobRows.STATUS_AFTER_REQUEST_CASE + " end,"
            + " requested = null, owner = null, lease_expires_at = null, recoveries = recoveries + 1,"
            + " recoveries_since_checkpoint = " + recoveriesInARow + ", " + JobRows.SYNC_LAST_CHECKPOINT + ","
            + " rate = null, updated_at = now() where " + where
            + " returning id, status, last_checkpoint_seq, last_checkpoint_iteration",
        binder,
        rs -> new Requeued(rs.getObject(1, UUID.class), rs.getString(2), (Long) rs.getObject(3), (Long) rs.getObject(4)));
    events.append(sql, requeued.stream()
        .map(r -> {
          String from = r.seq() == null ? "the beginning" : "checkpoint " + r.seq() + " (iteration " + r.iteration() + ")";
          return new NewEvent(r.id(), JobEventType.RECOVERED,
              why + "; " + (r.status().equals("QUEUED") ? "resumes from " : "now " + r.status() + " at ") + from);
        })
        .toList());
    return requeued.size();
  }

}
