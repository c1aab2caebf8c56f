package io.checkpointd.persistence;

import io.checkpointd.model.JobSnapshot;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.Lease;
import io.checkpointd.model.RequestedStop;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL shared by the statements that read and update job rows: the one place of the lease fence. */
final class JobRows {

  /**
   * The lease fence of a one-job write: the row still names this lease's epoch and owner and the
   * job still runs. Every write a worker makes under a lease carries it; zero rows means the
   * lease is gone. Bind with {@link #bindFence}.
   */
  static final String FENCE = "id = ? and epoch = ? and owner = ? and status = 'RUNNING'";

  /** The same fence for many jobs at once, against {@code unnest(...) as v(id, epoch, owner, ...)}. */
  static final String FENCE_MANY = "j.id = v.id and j.epoch = v.epoch and j.owner = v.owner and j.status = 'RUNNING'";

  /**
   * Locks the job rows of the first array parameter in id order, before a many-row update of them
   * (with {@link #LOCKED_FIRST} in its WHERE clause). Why: the heartbeat and the checkpoint writers
   * lock overlapping sets of rows; taken in whatever order a join yields, their locks can deadlock.
   * In one global order they cannot.
   */
  static final String LOCK_IN_ID_ORDER =
      "with locked as (select id from job where id = any(?::uuid[]) order by id for update)";

  /**
   * Runs {@link #LOCK_IN_ID_ORDER} once, as a one-time filter, before the update touches a row.
   * Why not join the update to {@code locked}: the planner cannot size an array parameter, and a
   * join to a CTE (which has no index) planned for ten rows is a nested loop, quadratic in the
   * number of jobs.
   */
  static final String LOCKED_FIRST = "(select count(*) from locked) >= 0";

  /** The status a requeued or released job takes: it honours the stop its client asked for, and never runs again by accident. */
  static final String STATUS_AFTER_REQUEST_CASE =
      "case requested when 'PAUSE' then 'PAUSED' when 'CANCEL' then 'CANCELLED' else 'QUEUED' end";

  /** SET clauses applying {@link #STATUS_AFTER_REQUEST_CASE} and clearing the request. */
  static final String STATUS_AFTER_REQUEST =
      "status = " + STATUS_AFTER_REQUEST_CASE + ","
          + " finished_at = case requested when 'CANCEL' then now() else finished_at end, requested = null";

  // Set-aside checkpoints (a rewind's) are not where the job is: they are skipped here.
  private static final String NEWEST =
      "from checkpoint c where c.job_id = job.id and not c.set_aside order by c.seq desc limit 1)";

  /**
   * SET clauses that copy the newest checkpoint into the job row of an {@code update job}. Why not
   * on every checkpoint: that would double what a checkpoint costs. The row is brought up to date
   * whenever the job leaves RUNNING or changes hands, so only a running job's readers look at the
   * checkpoint table ({@link #SELECT}).
   */
  static final String SYNC_LAST_CHECKPOINT =
      "last_checkpoint_seq = coalesce((select c.seq " + NEWEST + ", last_checkpoint_seq),"
          + " last_checkpoint_iteration = coalesce((select c.iteration " + NEWEST + ", last_checkpoint_iteration),"
          + " last_checkpoint_at = coalesce((select c.created_at " + NEWEST + ", last_checkpoint_at)";

  /** Whether the job has checkpointed since its row was last brought up to date. */
  static final String CHECKPOINTED_SINCE_SYNC = "(select c.seq " + NEWEST + " is distinct from last_checkpoint_seq";

  /** The columns {@link #snapshot} reads, in its order. */
  static final String COLUMNS =
      "id, kind, params::text, checkpoint_every_iterations, checkpoint_every_seconds, status, requested, iteration,"
          + " total, result::text, error, owner, epoch, lease_expires_at, attempts, max_attempts, rate, recoveries,"
          + " request_hash, created_at, updated_at, started_at, finished_at, last_checkpoint_seq,"
          + " last_checkpoint_iteration, last_checkpoint_at, forked_from_job, forked_from_seq, checkpoint_retain_after_success,"
          + " checkpoint_milestone_every, checkpoint_milestones, tenant";

  /**
   * The tenant predicate, the one place a client's reach is written: bind the caller's tenant, or
   * null for a caller who sees every tenant (an admin, the open service).
   */
  static final String IN_TENANT = "job.tenant = coalesce(?::text, job.tenant)";

  /**
   * Jobs with their newest checkpoint. Only a running job's row can be behind its checkpoints, so
   * only for those is the checkpoint table read (the lateral's condition on the job's status is a
   * one-time filter per row, not a lookup).
   */
  static final String SELECT =
      "select " + COLUMNS + ", n_seq, n_iteration, n_at from job left join lateral (select c.seq as n_seq,"
          + " c.iteration as n_iteration, c.created_at as n_at from checkpoint c where c.job_id = job.id"
          + " and job.status = 'RUNNING' and not c.set_aside order by c.seq desc limit 1) newest on true";

  /**
   * {@link #SELECT} without the results: a page of 500 squares results was 43 MB. Same columns,
   * so {@link #snapshot} reads it; a client reads a result with GET /jobs/{id}.
   */
  static final String SELECT_WITHOUT_RESULT = SELECT.replace("result::text", "null::text");

  private JobRows() {}

  static int bindFence(PreparedStatement ps, int from, Lease lease) throws SQLException {
    ps.setObject(from, lease.jobId());
    ps.setLong(from + 1, lease.epoch());
    ps.setString(from + 2, lease.owner());
    return from + 3;
  }

  /** A row of {@link #SELECT}, or of {@code returning COLUMNS} (which has no newer checkpoint). */
  static JobSnapshot snapshot(ResultSet rs) throws SQLException {
    return snapshot(Columns.of(rs));
  }

  /** The same, whichever driver read the row. */
  static JobSnapshot snapshot(Columns c) throws SQLException {
    JobSnapshot.LastCheckpoint last = null;
    // SELECT adds the newest checkpoint of a running job after the 32 COLUMNS
    if (c.count() > 32 && !c.isNull(32)) {
      last = new JobSnapshot.LastCheckpoint(c.int8(32), c.int8(33), c.timestamp(34));
    } else if (!c.isNull(23)) {
      last = new JobSnapshot.LastCheckpoint(c.int8(23), c.int8(24), c.timestamp(25));
    }
    return new JobSnapshot(
        c.uuid(0),
        c.text(1),
        c.text(2),
        c.int4OrNull(3),
        c.float8OrNull(4),
        JobStatus.valueOf(c.text(5)),
        RequestedStop.of(c.text(6)),
        c.int8(7),
        c.int8(8),
        c.text(9),
        c.text(10),
        c.text(11),
        c.int8(12),
        c.timestamp(13),
        c.int4(14),
        c.int4(15),
        c.float8OrNull(16),
        c.int4(17),
        c.text(18),
        last,
        c.timestamp(19),
        c.timestamp(20),
        c.timestamp(21),
        c.timestamp(22),
        c.isNull(26) ? null : new JobSnapshot.ForkedFrom(c.uuid(26), c.int8(27)),
        c.bool(28),
        new JobSnapshot.Milestones(c.int4(29), c.int4(30)),
        c.text(31));
  }
}
