package io.checkpointd.persistence;

/** SQL shared by the statements that update job rows. */
final class JobRows {

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

  private static final String NEWEST = "from checkpoint c where c.job_id = job.id order by c.seq desc limit 1)";

  /**
   * SET clauses that copy the newest checkpoint into the job row of an {@code update job}. Why not
   * on every checkpoint: that would double what a checkpoint costs. The row is brought up to date
   * when the job changes hands (claim, requeue, success); readers take the newest checkpoint
   * itself ({@link JobEntity}).
   */
  static final String SYNC_LAST_CHECKPOINT =
      "last_checkpoint_seq = coalesce((select c.seq " + NEWEST + ", last_checkpoint_seq),"
          + " last_checkpoint_iteration = coalesce((select c.iteration " + NEWEST + ", last_checkpoint_iteration),"
          + " last_checkpoint_at = coalesce((select c.created_at " + NEWEST + ", last_checkpoint_at)";

  /** Whether the job has checkpointed since its row was last brought up to date. */
  static final String CHECKPOINTED_SINCE_SYNC =
      "(select c.seq " + NEWEST + " is distinct from last_checkpoint_seq";

  private JobRows() {}
}
