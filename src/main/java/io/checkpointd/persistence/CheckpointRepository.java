package io.checkpointd.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** State snapshots: written fenced by the lease, read back newest first. */
@ApplicationScoped
public class CheckpointRepository implements PanacheRepositoryBase<CheckpointEntity, CheckpointEntity.Key> {

  private final Sql sql;

  CheckpointRepository(Sql sql) {
    this.sql = sql;
  }

  /**
   * Stores a checkpoint and the job's progress in one transaction, and prunes all but the newest
   * {@code keep}. The sequence number comes from the job row, which the fenced update locks: it
   * grows by one per checkpoint whatever instance writes it, so it never repeats or goes back.
   *
   * @return the new checkpoint's sequence number
   * @throws LeaseLostException when {@code lease} no longer holds the job; nothing is written
   */
  @Transactional
  public long saveCheckpoint(Lease lease, CheckpointWrite checkpoint, int keep) {
    List<Long> seqs =
        sql.query(
            "update job set iteration = ?, last_checkpoint_seq = coalesce(last_checkpoint_seq, 0) + 1,"
                + " last_checkpoint_iteration = ?, last_checkpoint_at = now(),"
                + " checkpoint_count = checkpoint_count + 1, recoveries_since_checkpoint = 0, updated_at = now()"
                + " where id = ? and epoch = ? and owner = ? and status = 'RUNNING'"
                + " returning last_checkpoint_seq",
            ps -> {
              ps.setLong(1, checkpoint.iteration());
              ps.setLong(2, checkpoint.iteration());
              JobRepository.setLease(ps, 3, lease);
            },
            rs -> rs.getLong(1));
    if (seqs.isEmpty()) {
      throw new LeaseLostException(lease);
    }
    long seq = seqs.get(0);
    sql.update(
        "insert into checkpoint (job_id, seq, iteration, state_version, encoding, state, size_bytes, checksum)"
            + " values (?, ?, ?, ?, 'json', ?, ?, ?)",
        ps -> {
          ps.setObject(1, lease.jobId());
          ps.setLong(2, seq);
          ps.setLong(3, checkpoint.iteration());
          ps.setInt(4, checkpoint.stateVersion());
          ps.setBytes(5, checkpoint.state());
          ps.setInt(6, checkpoint.state().length);
          ps.setString(7, checkpoint.checksum());
        });
    sql.update(
        "delete from checkpoint where job_id = ? and seq <= ?",
        ps -> {
          ps.setObject(1, lease.jobId());
          ps.setLong(2, seq - keep);
        });
    return seq;
  }

  /** The job's checkpoints, newest first, state included. */
  @Transactional
  public List<StoredCheckpoint> newestFirst(UUID jobId) {
    return sql.query(
        "select seq, iteration, state_version, encoding, state, size_bytes, checksum, created_at"
            + " from checkpoint where job_id = ? order by seq desc",
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

  /** Metadata only, newest first. */
  @Transactional
  public List<CheckpointEntity> listMetadata(UUID jobId) {
    return find("jobId = ?1 order by seq desc", jobId).list();
  }
}
