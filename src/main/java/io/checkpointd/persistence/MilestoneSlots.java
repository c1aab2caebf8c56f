package io.checkpointd.persistence;

import io.checkpointd.model.JobSnapshot.Milestones;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Which slot a checkpoint takes, and how a job's milestones are thinned: the part of group commit
 * that keeps a sparse history (see {@link Milestones}).
 */
final class MilestoneSlots {

  private final Sql sql;

  MilestoneSlots(Sql sql) {
    this.sql = sql;
  }

  /**
   * Where a checkpoint goes. Most go to the ring (slot = seq mod keep), overwriting the oldest. A
   * milestone candidate goes to a slot of its own below zero, if the job's milestones have room
   * (count and bytes, after {@link #thin}) and it is at least the current spacing past
   * the newest one. While it is among the newest, the ring slot it skipped still holds an older
   * checkpoint: the newest {@code keep} are all kept either way, and each write is one row.
   */
  static final String SLOT =
      "case when v.every = 0 then (v.seq % ?)::int"
          + " when (select count(*) = 0 or (count(*) < v.most and sum(m.size_bytes) + length(v.state) <= ?"
          + " and v.seq >= max(m.seq) + case when count(*) > 1 then (max(m.seq) - min(m.seq)) / (count(*) - 1) else v.every end)"
          + " from checkpoint m where m.job_id = v.id and m.slot < 0)"
          + " then (-1 - v.seq % 2147483647)::int else (v.seq % ?)::int end";

  /**
   * Makes room for the candidates' milestones: while a job's milestones are full (count or bytes)
   * and the candidate is due (at least the spacing past the newest), every second milestone is
   * dropped, the first kept. The survivors are evenly spaced from the job's first milestone at
   * twice the old spacing: a long job keeps a sparse history from its start. Thinning only when a
   * milestone is due keeps the fuller history until then. Runs before the insert, so it never drops
   * the checkpoint being written (the newest).
   */
  void thin(List<CheckpointStore.LeasedWrite> candidates, Map<UUID, Milestones> milestones, long milestoneBytes) {
    int dropped;
    do {
      dropped = sql.update(
          "delete from checkpoint c using (select m.job_id, m.slot, row_number() over (partition by m.job_id order by m.seq) as rn,"
              + " count(*) over j as n, sum(m.size_bytes) over j as bytes, min(m.seq) over j as first, max(m.seq) over j as last"
              + " from checkpoint m where m.job_id = any(?::uuid[]) and m.slot < 0 window j as (partition by m.job_id)) t"
              + " join unnest(?::uuid[], ?::bigint[], ?::int[], ?::int[], ?::bigint[]) as v(id, seq, every, most, incoming)"
              + " on v.id = t.job_id"
              + " where c.job_id = t.job_id and c.slot = t.slot and (t.n >= v.most or t.bytes + v.incoming > ?)"
              + " and v.seq >= t.last + case when t.n > 1 then (t.last - t.first) / (t.n - 1) else v.every end"
              + " and (t.rn % 2 = 0 or (t.n = 1 and t.bytes + v.incoming > ?))",
          ps -> {
            Connection c = ps.getConnection();
            UUID[] ids = candidates.stream().map(w -> w.lease().jobId()).toArray(UUID[]::new);
            ps.setArray(1, c.createArrayOf("uuid", ids));
            ps.setArray(2, c.createArrayOf("uuid", ids));
            ps.setArray(3, c.createArrayOf("bigint", candidates.stream().map(w -> w.write().seq()).toArray(Long[]::new)));
            ps.setArray(4, c.createArrayOf("int4", candidates.stream().map(w -> milestones.get(w.lease().jobId()).every()).toArray(Integer[]::new)));
            ps.setArray(5, c.createArrayOf("int4", candidates.stream().map(w -> milestones.get(w.lease().jobId()).count()).toArray(Integer[]::new)));
            ps.setArray(6, c.createArrayOf("bigint", candidates.stream().map(w -> (long) w.write().state().length).toArray(Long[]::new)));
            ps.setLong(7, milestoneBytes);
            ps.setLong(8, milestoneBytes);
          });
    } while (dropped > 0);
  }
}
