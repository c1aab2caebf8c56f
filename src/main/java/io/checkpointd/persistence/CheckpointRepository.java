package io.checkpointd.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** State snapshots: written fenced by the lease, in batches, read back newest first. */
@ApplicationScoped
public class CheckpointRepository {

  /** One checkpoint of a batch, with the lease it is written under. */
  public record LeasedWrite(Lease lease, CheckpointWrite write) {}

  private final Sql sql;

  CheckpointRepository(Sql sql) {
    this.sql = sql;
  }

  /**
   * Stores one checkpoint and the job's progress in one transaction.
   *
   * @return the new checkpoint's sequence number
   * @throws LeaseLostException when {@code lease} no longer holds the job; nothing is written
   */
  @Transactional
  public long saveCheckpoint(Lease lease, CheckpointWrite checkpoint, int keep) {
    Long seq = saveCheckpoints(List.of(new LeasedWrite(lease, checkpoint)), keep).get(lease.jobId());
    if (seq == null) {
      throw new LeaseLostException(lease);
    }
    return seq;
  }

  /**
   * Group commit: stores the checkpoints of many jobs in one transaction with three statements,
   * whatever their number, and prunes all but the newest {@code keep} of each. Each write is
   * fenced by its lease; a job whose lease is gone gets nothing written and is absent from the
   * result. The sequence number comes from the job row, which the fenced update locks: it grows
   * by one per checkpoint whatever instance writes it, so it never repeats or goes back. A batch
   * holds at most one write per job (a runner has at most one checkpoint in flight).
   *
   * @return the new sequence number of each job whose checkpoint was stored
   */
  @Transactional
  public Map<UUID, Long> saveCheckpoints(List<LeasedWrite> writes, int keep) {
    Map<UUID, Long> seqs = new HashMap<>();
    if (writes.isEmpty()) {
      return seqs;
    }
    UUID[] ids = writes.stream().map(w -> w.lease().jobId()).toArray(UUID[]::new);
    Long[] epochs = writes.stream().map(w -> w.lease().epoch()).toArray(Long[]::new);
    String[] owners = writes.stream().map(w -> w.lease().owner()).toArray(String[]::new);
    Long[] iterations = writes.stream().map(w -> w.write().iteration()).toArray(Long[]::new);
    sql.query(
            JobRows.LOCK_IN_ID_ORDER
                + " update job j set iteration = v.iteration, last_checkpoint_seq = coalesce(j.last_checkpoint_seq, 0) + 1,"
                + " last_checkpoint_iteration = v.iteration, last_checkpoint_at = now(),"
                + " checkpoint_count = j.checkpoint_count + 1, recoveries_since_checkpoint = 0, updated_at = now()"
                + " from unnest(?::uuid[], ?::bigint[], ?::text[], ?::bigint[]) as v(id, epoch, owner, iteration), locked"
                + " where j.id = v.id and locked.id = j.id and j.epoch = v.epoch and j.owner = v.owner"
                + " and j.status = 'RUNNING' returning j.id, j.last_checkpoint_seq",
            ps -> {
              ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids));
              ps.setArray(2, ps.getConnection().createArrayOf("uuid", ids));
              ps.setArray(3, ps.getConnection().createArrayOf("bigint", epochs));
              ps.setArray(4, ps.getConnection().createArrayOf("text", owners));
              ps.setArray(5, ps.getConnection().createArrayOf("bigint", iterations));
            },
            rs -> seqs.put(rs.getObject(1, UUID.class), rs.getLong(2)));
    if (seqs.isEmpty()) {
      return seqs;
    }
    List<LeasedWrite> stored = writes.stream().filter(w -> seqs.containsKey(w.lease().jobId())).toList();
    sql.batch(
        "insert into checkpoint (job_id, seq, iteration, state_version, encoding, state, size_bytes, checksum)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?)",
        stored,
        (PreparedStatement ps, LeasedWrite w) -> {
          CheckpointWrite c = w.write();
          ps.setObject(1, w.lease().jobId());
          ps.setLong(2, seqs.get(w.lease().jobId()));
          ps.setLong(3, c.iteration());
          ps.setInt(4, c.stateVersion());
          ps.setString(5, c.encoding());
          ps.setBytes(6, c.state());
          ps.setInt(7, c.state().length);
          ps.setString(8, c.checksum());
        });
    UUID[] storedIds = stored.stream().map(w -> w.lease().jobId()).toArray(UUID[]::new);
    Long[] oldestKept = stored.stream().map(w -> seqs.get(w.lease().jobId()) - keep).toArray(Long[]::new);
    sql.update(
        "delete from checkpoint c using unnest(?::uuid[], ?::bigint[]) as v(id, below)"
            + " where c.job_id = v.id and c.seq <= v.below",
        ps -> {
          ps.setArray(1, ps.getConnection().createArrayOf("uuid", storedIds));
          ps.setArray(2, ps.getConnection().createArrayOf("bigint", oldestKept));
        });
    return seqs;
  }

  /** The job's checkpoints, newest first, state included. */
  @Transactional
  public List<StoredCheckpoint> newestFirst(UUID jobId) {
    return withState(jobId, "");
  }

  /** The job's newest checkpoint, state included. */
  @Transactional
  public Optional<StoredCheckpoint> newest(UUID jobId) {
    return withState(jobId, " limit 1").stream().findFirst();
  }

  private List<StoredCheckpoint> withState(UUID jobId, String limit) {
    return sql.query(
        "select seq, iteration, state_version, encoding, state, size_bytes, checksum, created_at"
            + " from checkpoint where job_id = ? order by seq desc" + limit,
        ps -> ps.setObject(1, jobId),
        rs -> new StoredCheckpoint(
            rs.getLong(1),
            rs.getLong(2),
            rs.getInt(3),
            rs.getString(4),
            rs.getBytes(5),
            rs.getInt(6),
            rs.getString(7),
            rs.getObject(8, OffsetDateTime.class)));
  }

  /** Metadata only (the states may be large and are not read), newest first. */
  @Transactional
  public List<CheckpointMetadata> listMetadata(UUID jobId) {
    return sql.query(
        "select seq, iteration, state_version, encoding, size_bytes, checksum, created_at"
            + " from checkpoint where job_id = ? order by seq desc",
        ps -> ps.setObject(1, jobId),
        rs -> new CheckpointMetadata(
            rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getInt(5), rs.getString(6),
            rs.getObject(7, OffsetDateTime.class)));
  }
}
