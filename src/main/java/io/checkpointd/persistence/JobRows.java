package io.checkpointd.persistence;

/** SQL shared by the statements that update job rows. */
final class JobRows {

  /**
   * Locks the job rows of the array parameter in id order. Why: the heartbeat and the checkpoint
   * writers lock overlapping sets of rows; taken in whatever order a join yields, their locks can
   * deadlock. In one global order they cannot. Why a statement of its own rather than a CTE joined
   * to the update: the planner cannot size an array parameter, and joined to a CTE (which has no
   * index) a misjudged size turns the join into a nested loop, quadratic in the batch.
   */
  static final String LOCK_IN_ID_ORDER = "select id from job where id = any(?::uuid[]) order by id for update";

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
          + " last_checkpoint_at = coalesce((select c.created_at " + NEWEST + ", last_checkpoint_at),"
          + " checkpoint_count = coalesce((select c.seq " + NEWEST + ", checkpoint_count)";

  /** Whether the job has checkpointed since its row was last brought up to date. */
  static final String CHECKPOINTED_SINCE_SYNC =
      "(select c.seq " + NEWEST + " is distinct from last_checkpoint_seq";

  private JobRows() {}
}
