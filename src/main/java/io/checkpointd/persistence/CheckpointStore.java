package io.checkpointd.persistence;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.model.CheckpointMetadata;
import io.checkpointd.model.CheckpointNotNewerException;
import io.checkpointd.model.CheckpointWrite;
import io.checkpointd.model.JobEventType;
import io.checkpointd.model.JobSnapshot.Milestones;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.Lease;
import io.checkpointd.model.LeaseLostException;
import io.checkpointd.model.RequestedStop;
import io.checkpointd.model.StoredCheckpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** State snapshots: written fenced by the lease, in batches, read back newest first. */
@ApplicationScoped
public class CheckpointStore {

  /** One checkpoint of a batch, with the lease it is written under. */
  public record LeasedWrite(Lease lease, CheckpointWrite write) {}

  /**
   * What a batch did.
   *
   * @param fenced the jobs whose lease held, with the stop a client asked for (absent: none)
   * @param stored the jobs whose checkpoint was written; fenced but not stored means not newer
   */
  public record BatchOutcome(Map<UUID, Optional<RequestedStop>> fenced, Set<UUID> stored) {

    static final BatchOutcome NONE = new BatchOutcome(Map.of(), Set.of());
  }

  private final Sql sql;
  /** For clients' reads and commands (GET .../checkpoints, rewind): they must not take the engine's connections. */
  private final Sql api;
  private final EventStore events;

  /** Hard cap of {@code checkpointd.checkpoints.milestone-bytes}. */
  static final long MAX_MILESTONE_BYTES = 1L << 30;

  private final long milestoneBytes;
  private final MilestoneSlots milestoneSlots;

  CheckpointStore(@Sql.Engine Sql sql, Sql api, EventStore events, CheckpointdConfig config) {
    this.api = api;
    this.sql = sql;
    this.events = events;
    this.milestoneBytes = Math.min(Math.max(0, config.checkpoints().milestoneBytes()), MAX_MILESTONE_BYTES);
    this.milestoneSlots = new MilestoneSlots(sql);
  }

  /**
   * Stores one checkpoint, fenced by its lease.
   *
   * @throws LeaseLostException when {@code lease} no longer holds the job; nothing is written
   */
  @Transactional
  public void saveCheckpoint(Lease lease, CheckpointWrite checkpoint, int keep) {
    BatchOutcome outcome = saveCheckpoints(List.of(new LeasedWrite(lease, checkpoint)), keep);
    if (!outcome.fenced().containsKey(lease.jobId())) {
      throw new LeaseLostException(lease);
    }
    if (!outcome.stored().contains(lease.jobId())) {
      throw new CheckpointNotNewerException(lease, checkpoint.seq());
    }
  }

  /**
   * Group commit: stores the checkpoints of many jobs in one transaction with two statements,
   * whatever their number. Each job keeps its newest {@code keep} checkpoints in as many slots; a
   * new one overwrites the oldest in place. A batch holds at most one write per job (a runner has
   * at most one checkpoint in flight).
   *
   * <p>The fence: the first statement takes a share lock on the row of each job whose lease is
   * still the writer's (same epoch, still RUNNING). Why a lock and not just a check: whatever
   * takes a job away (requeue, pause, claim) updates that row, so it waits for this transaction
   * to commit, and the next owner, claiming after it, finds this checkpoint and numbers on from
   * it. An update that came first makes the lock see the new row, which fails the check, and
   * nothing is written for that job. Rows are locked in id order, like every many-row lock here,
   * so writers and heartbeats cannot deadlock.
   *
   * @return which jobs' leases held and which checkpoints were stored
   */
  @Transactional
  public BatchOutcome saveCheckpoints(List<LeasedWrite> writes, int keep) {
    if (writes.isEmpty()) {
      return BatchOutcome.NONE;
    }
    Map<UUID, Optional<RequestedStop>> fenced = new HashMap<>();
    Map<UUID, Milestones> milestones = new HashMap<>();
    sql.query(
        "select j.id, j.requested, j.checkpoint_milestone_every, j.checkpoint_milestones"
            + " from job j join unnest(?::uuid[], ?::bigint[], ?::text[]) as v(id, epoch, owner)"
            + " on j.id = v.id where " + JobRows.FENCE_MANY + " order by j.id for share of j",
        ps -> {
          ps.setArray(1, ps.getConnection().createArrayOf("uuid", writes.stream().map(w -> w.lease().jobId()).toArray()));
          ps.setArray(2, ps.getConnection().createArrayOf("bigint", writes.stream().map(w -> w.lease().epoch()).toArray()));
          ps.setArray(3, ps.getConnection().createArrayOf("text", writes.stream().map(w -> w.lease().owner()).toArray()));
        },
        rs -> {
          UUID id = rs.getObject(1, UUID.class);
          fenced.put(id, Optional.ofNullable(RequestedStop.of(rs.getString(2))));
          milestones.put(id, new Milestones(rs.getInt(3), rs.getInt(4)));
          return id;
        });
    List<LeasedWrite> stored = writes.stream().filter(w -> fenced.containsKey(w.lease().jobId())).toList();
    if (stored.isEmpty()) {
      return new BatchOutcome(fenced, Set.of());
    }
    // Milestone candidates are rare (one write in milestoneEvery): 0 for all others, so the insert
    // looks at existing milestones only for them.
    int[] every = new int[stored.size()];
    int[] most = new int[stored.size()];
    List<LeasedWrite> candidates = new ArrayList<>();
    for (int i = 0; i < stored.size(); i++) {
      LeasedWrite w = stored.get(i);
      Milestones m = milestones.get(w.lease().jobId());
      if (m.every() > 0 && m.count() > 0 && w.write().seq() % m.every() == 0 && w.write().state().length <= milestoneBytes) {
        every[i] = m.every();
        most[i] = m.count();
        candidates.add(w);
      }
    }
    if (!candidates.isEmpty()) {
      milestoneSlots.thin(candidates, milestones, milestoneBytes);
    }
    return new BatchOutcome(fenced, new HashSet<>(sql.query(
        "insert into checkpoint (job_id, slot, seq, iteration, state_version, encoding, state, size_bytes, checksum)"
            + " select v.id, " + MilestoneSlots.SLOT + ", v.seq, v.iteration, v.version, v.encoding, v.state, length(v.state), v.checksum"
            + " from unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::int[], ?::text[], ?::bytea[], ?::text[], ?::int[], ?::int[])"
            + " as v(id, seq, iteration, version, encoding, state, checksum, every, most)"
            + " on conflict (job_id, slot) do update set seq = excluded.seq, iteration = excluded.iteration,"
            + " state_version = excluded.state_version, encoding = excluded.encoding, state = excluded.state,"
            + " size_bytes = excluded.size_bytes, checksum = excluded.checksum, created_at = excluded.created_at,"
            + " set_aside = false"
            // Only ever replaces an older checkpoint, even if keep changed between deployments. A
            // write this skips is not returned, so it is reported lost, never written.
            + " where checkpoint.seq < excluded.seq returning job_id",
        ps -> {
          Connection c = ps.getConnection();
          int i = 1;
          ps.setInt(i++, Math.max(1, keep));
          ps.setLong(i++, milestoneBytes);
          ps.setInt(i++, Math.max(1, keep));
          ps.setArray(i++, c.createArrayOf("uuid", stored.stream().map(w -> w.lease().jobId()).toArray(UUID[]::new)));
          ps.setArray(i++, c.createArrayOf("bigint", stored.stream().map(w -> w.write().seq()).toArray(Long[]::new)));
          ps.setArray(i++, c.createArrayOf("bigint", stored.stream().map(w -> w.write().iteration()).toArray(Long[]::new)));
          ps.setArray(i++, c.createArrayOf("int4", stored.stream().map(w -> w.write().stateVersion()).toArray(Integer[]::new)));
          ps.setArray(i++, c.createArrayOf("text", stored.stream().map(w -> w.write().encoding()).toArray(String[]::new)));
          ps.setArray(i++, c.createArrayOf("bytea", stored.stream().map(w -> w.write().state()).toArray(byte[][]::new)));
          ps.setArray(i++, c.createArrayOf("text", stored.stream().map(w -> w.write().checksum()).toArray(String[]::new)));
          ps.setArray(i++, c.createArrayOf("int4", Arrays.stream(every).boxed().toArray(Integer[]::new)));
          ps.setArray(i, c.createArrayOf("int4", Arrays.stream(most).boxed().toArray(Integer[]::new)));
        },
        rs -> rs.getObject(1, UUID.class))));
  }

  /** The job's checkpoints a resume may start from (not set aside by a rewind), newest first, state included. */
  @Transactional
  public List<StoredCheckpoint> newestFirst(UUID jobId) {
    return withState(sql, jobId, " and not set_aside", "", null);
  }

  /** The job's newest checkpoint that is not set aside, state included: for clients, on the API's pool. */
  @Transactional
  public Optional<StoredCheckpoint> newest(UUID jobId) {
    return withState(api, jobId, " and not set_aside", " limit 1", null).stream().findFirst();
  }

  /** The seq of the job's newest checkpoint, 0 if none. */
  @Transactional
  public long newestSeq(UUID jobId) {
    return sql.query("select coalesce(max(seq), 0) from checkpoint where job_id = ?", ps -> ps.setObject(1, jobId),
        rs -> rs.getLong(1)).get(0);
  }

  /** One checkpoint of the job, state included, if it is still kept (set aside or not). */
  @Transactional
  public Optional<StoredCheckpoint> find(UUID jobId, long seq) {
    return withState(sql, jobId, " and seq = ?", "", seq).stream().findFirst();
  }

  private List<StoredCheckpoint> withState(Sql sql, UUID jobId, String and, String limit, Long seq) {
    return sql.query(
        "select seq, iteration, state_version, encoding, state, size_bytes, checksum, created_at"
            + " from checkpoint where job_id = ?" + and + " order by seq desc" + limit,
        ps -> {
          ps.setObject(1, jobId);
          if (seq != null) {
            ps.setLong(2, seq);
          }
        },
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

  /** A checkpoint with the job it belongs to, for the checks that bind each job's params. */
  public record OfJob(UUID jobId, String params, StoredCheckpoint checkpoint) {}

  /**
   * A page of the checkpoints of every job of {@code kind}, after (jobId, seq) in that order. Paged
   * so that a dry run over thousands of jobs never holds all their states at once.
   */
  @Transactional
  public List<OfJob> ofKind(String kind, UUID afterJob, long afterSeq, int limit) {
    return sql.query(
        "select c.job_id, j.params::text, c.seq, c.iteration, c.state_version, c.encoding, c.state, c.size_bytes,"
            + " c.checksum, c.created_at from checkpoint c join job j on j.id = c.job_id"
            + " where j.kind = ? and (c.job_id, c.seq) > (?, ?) order by c.job_id, c.seq limit ?",
        ps -> {
          ps.setString(1, kind);
          ps.setObject(2, afterJob);
          ps.setLong(3, afterSeq);
          ps.setInt(4, limit);
        },
        rs -> new OfJob(rs.getObject(1, UUID.class), rs.getString(2), new StoredCheckpoint(
            rs.getLong(3), rs.getLong(4), rs.getInt(5), rs.getString(6), rs.getBytes(7), rs.getInt(8), rs.getString(9),
            rs.getObject(10, OffsetDateTime.class))));
  }

  /**
   * Sets the job back to checkpoint {@code toSeq}: newer checkpoints are set aside (kept, not
   * resumed from), older ones and {@code toSeq} itself are not, and the job row shows the job
   * there. Only for a job that is in {@code status} with no stop pending, so no owner is writing.
   *
   * @return how many checkpoints are set aside now; empty when the job or the checkpoint changed
   */
  @Transactional
  public Optional<Integer> rewind(UUID jobId, JobStatus status, long toSeq) {
    int rows = api.update(
        "update job set iteration = c.iteration, last_checkpoint_seq = c.seq, last_checkpoint_iteration = c.iteration,"
            + " last_checkpoint_at = c.created_at, updated_at = now() from checkpoint c"
            + " where job.id = ? and job.status = ? and job.requested is null and c.job_id = job.id and c.seq = ?",
        ps -> {
          ps.setObject(1, jobId);
          ps.setString(2, status.name());
          ps.setLong(3, toSeq);
        });
    if (rows != 1) {
      return Optional.empty();
    }
    api.update(
        "update checkpoint set set_aside = (seq > ?) where job_id = ? and set_aside <> (seq > ?)",
        ps -> {
          ps.setLong(1, toSeq);
          ps.setObject(2, jobId);
          ps.setLong(3, toSeq);
        });
    int aside = api.query("select count(*) from checkpoint where job_id = ? and set_aside", ps -> ps.setObject(1, jobId),
        rs -> rs.getInt(1)).get(0);
    events.append(api, jobId, JobEventType.REWOUND, "to checkpoint " + toSeq + "; " + aside + " newer set aside");
    return Optional.of(aside);
  }

  /** Metadata only (the states may be large and are not read), newest first. */
  @Transactional
  public List<CheckpointMetadata> listMetadata(UUID jobId) {
    return api.query(
        "select seq, iteration, state_version, encoding, size_bytes, checksum, created_at, set_aside, slot < 0"
            + " from checkpoint where job_id = ? order by seq desc",
        ps -> ps.setObject(1, jobId),
        rs -> new CheckpointMetadata(
            rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getInt(5), rs.getString(6),
            rs.getObject(7, OffsetDateTime.class), rs.getBoolean(8), rs.getBoolean(9)));
  }
}
