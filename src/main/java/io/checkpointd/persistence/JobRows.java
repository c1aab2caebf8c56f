package io.checkpointd.persistence;

/** SQL shared by the statements that update many job rows at once. */
final class JobRows {

  /**
   * Locks the job rows of the first array parameter in id order before a many-row update joins
   * them. Why: the heartbeat and the checkpoint writers update overlapping sets of rows; taken in
   * whatever order a join yields, their locks can deadlock. In one global order they cannot.
   */
  static final String LOCK_IN_ID_ORDER =
      "with locked as (select id from job where id = any(?::uuid[]) order by id for update)";

  private JobRows() {}
}
