package io.checkpointd.persistence;

import io.checkpointd.model.CheckpointWrite;
import io.checkpointd.model.JobCursor;
import io.checkpointd.model.JobEventType;
import io.checkpointd.model.JobSnapshot;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.RequestedStop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What clients do to jobs: create, read, list, command, delete. Commands are compare-and-set on
 * (status, requested), because only the database can arbitrate between a client's command and a
 * worker's write, and between instances, without in-memory locks.
 */
@ApplicationScoped
public class JobStore {

  private final Sql sql;
  private final EventStore events;

  JobStore(Sql sql, EventStore events) {
    this.sql = sql;
    this.events = events;
  }

  /** The columns of a new job. */
  public record NewJobRow(
      UUID id, String kind, String params, Integer everyIterations, Double everySeconds, long total, int maxAttempts,
      String idempotencyKey, String requestHash, boolean retainAfterSuccess) {}

  /** The job {@link #create} stored or found, and whether it is new. */
  public record Created(JobSnapshot job, boolean isNew) {}

  /** A new job, QUEUED; with an idempotency key already used, the job that key created instead. */
  @Transactional
  public Created create(NewJobRow row) {
    List<JobSnapshot> inserted =
        sql.query(
            "insert into job (id, kind, params, checkpoint_every_iterations, checkpoint_every_seconds, status, total,"
                + " max_attempts, idempotency_key, request_hash, checkpoint_retain_after_success)"
                + " values (?, ?, ?::jsonb, ?, ?, 'QUEUED', ?, ?, ?, ?, ?)"
                + " on conflict (idempotency_key) do nothing returning " + JobRows.COLUMNS,
            ps -> {
              ps.setObject(1, row.id());
              ps.setString(2, row.kind());
              ps.setString(3, row.params());
              ps.setObject(4, row.everyIterations());
              ps.setObject(5, row.everySeconds());
              ps.setLong(6, row.total());
              ps.setInt(7, row.maxAttempts());
              ps.setString(8, row.idempotencyKey());
              ps.setString(9, row.requestHash());
              ps.setBoolean(10, row.retainAfterSuccess());
            },
            JobRows::snapshot);
    if (inserted.isEmpty()) {
      return new Created(one(" where idempotency_key = ?", row.idempotencyKey()).orElseThrow(), false);
    }
    // the CREATED event's signal also wakes idle workers on every instance
    events.append(sql, row.id(), JobEventType.CREATED, null);
    return new Created(inserted.get(0), true);
  }

  /**
   * A new QUEUED job that starts from {@code first} (its checkpoint seq 1), forked from checkpoint
   * {@code parentSeq} of {@code parent}; with an idempotency key already used, the job that key
   * created instead. Job, checkpoint and both jobs' events commit together: no job exists without
   * its starting state.
   */
  @Transactional
  public Created fork(NewJobRow row, UUID parent, long parentSeq, CheckpointWrite first, int keep) {
    List<JobSnapshot> inserted =
        sql.query(
            "insert into job (id, kind, params, checkpoint_every_iterations, checkpoint_every_seconds, status, total,"
                + " max_attempts, idempotency_key, request_hash, iteration, last_checkpoint_seq, last_checkpoint_iteration,"
                + " last_checkpoint_at, forked_from_job, forked_from_seq, checkpoint_retain_after_success)"
                + " values (?, ?, ?::jsonb, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, now(), ?, ?, ?)"
                + " on conflict (idempotency_key) do nothing returning " + JobRows.COLUMNS,
            ps -> {
              ps.setObject(1, row.id());
              ps.setString(2, row.kind());
              ps.setString(3, row.params());
              ps.setObject(4, row.everyIterations());
              ps.setObject(5, row.everySeconds());
              ps.setLong(6, row.total());
              ps.setInt(7, row.maxAttempts());
              ps.setString(8, row.idempotencyKey());
              ps.setString(9, row.requestHash());
              ps.setLong(10, first.iteration());
              ps.setLong(11, first.seq());
              ps.setLong(12, first.iteration());
              ps.setObject(13, parent);
              ps.setLong(14, parentSeq);
              ps.setBoolean(15, row.retainAfterSuccess());
            },
            JobRows::snapshot);
    if (inserted.isEmpty()) {
      return new Created(one(" where idempotency_key = ?", row.idempotencyKey()).orElseThrow(), false);
    }
    sql.update(
        "insert into checkpoint (job_id, slot, seq, iteration, state_version, encoding, state, size_bytes, checksum)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ps -> {
          ps.setObject(1, row.id());
          ps.setInt(2, (int) (first.seq() % Math.max(1, keep)));
          ps.setLong(3, first.seq());
          ps.setLong(4, first.iteration());
          ps.setInt(5, first.stateVersion());
          ps.setString(6, first.encoding());
          ps.setBytes(7, first.state());
          ps.setInt(8, first.state().length);
          ps.setString(9, first.checksum());
        });
    events.append(sql, parent, JobEventType.FORKED, "forked into job " + row.id() + " from checkpoint " + parentSeq);
    // the CREATED event's signal also wakes idle workers on every instance
    events.append(sql, row.id(), JobEventType.CREATED, "forked from job " + parent + " at checkpoint " + parentSeq);
    return new Created(inserted.get(0), true);
  }

  @Transactional
  public Optional<JobSnapshot> find(UUID id) {
    return one(" where id = ?", id);
  }

  /** RUNNING jobs held by any worker but {@code owner}, newest first: what a live view here cannot see run. */
  @Transactional
  public List<JobSnapshot> runningElsewhere(String owner, int limit) {
    return sql.query(
        JobRows.SELECT + " where status = 'RUNNING' and owner is distinct from ? order by created_at desc, id desc limit ?",
        ps -> {
          ps.setString(1, owner);
          ps.setInt(2, limit);
        },
        JobRows::snapshot);
  }

  /** Newest first, after {@code cursor} (the last job of the previous page), at most {@code limit}. */
  @Transactional
  public List<JobSnapshot> list(Optional<JobStatus> status, Optional<String> kind, Optional<JobCursor> after, int limit) {
    StringBuilder where = new StringBuilder(" where true");
    List<Object> args = new ArrayList<>();
    status.ifPresent(s -> {
      where.append(" and status = ?");
      args.add(s.name());
    });
    kind.ifPresent(k -> {
      where.append(" and kind = ?");
      args.add(k);
    });
    after.ifPresent(c -> {
      where.append(" and (created_at, id) < (?, ?)");
      args.add(c.createdAt());
      args.add(c.id());
    });
    args.add(limit);
    return sql.query(
        JobRows.SELECT_WITHOUT_RESULT + where + " order by created_at desc, id desc limit ?",
        ps -> {
          for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
          }
        },
        JobRows::snapshot);
  }

  /**
   * A client's command as compare-and-set: moves the job from exactly ({@code from}, {@code
   * fromRequested}) to ({@code to}, {@code toRequested}). False when the job changed in between;
   * the caller reads it again and decides again, so racing commands end in one consistent state.
   * The event's signal carries a stop to the job's owner, and a queued job to idle workers.
   */
  @Transactional
  public boolean compareAndSet(
      UUID id, JobStatus from, RequestedStop fromRequested, JobStatus to, RequestedStop toRequested, JobEventType event) {
    int rows =
        sql.update(
            "update job set status = ?, requested = ?, updated_at = now(), not_before = null,"
                + " finished_at = case when ? in ('CANCELLED', 'SUCCEEDED') then now() when ? = 'QUEUED' then null"
                + " else finished_at end,"
                // a resumed job gets a fresh set of attempts
                + " attempts = case when ? = 'QUEUED' then 0 else attempts end,"
                + " error = case when ? = 'QUEUED' then null else error end"
                + " where id = ? and status = ? and requested is not distinct from ?",
            ps -> {
              ps.setString(1, to.name());
              ps.setString(2, toRequested == null ? null : toRequested.name());
              ps.setString(3, to.name());
              ps.setString(4, to.name());
              ps.setString(5, to.name());
              ps.setString(6, to.name());
              ps.setObject(7, id);
              ps.setString(8, from.name());
              ps.setString(9, fromRequested == null ? null : fromRequested.name());
            });
    if (rows == 1 && event != null) {
      events.append(sql, id, event, null);
    }
    return rows == 1;
  }

  /** Deletes a job (and, by cascade, its checkpoints and events) if it is in one of {@code statuses}. */
  @Transactional
  public boolean deleteIf(UUID id, Set<JobStatus> statuses) {
    return sql.update(
            "delete from job where id = ? and status = any(?)",
            ps -> {
              ps.setObject(1, id);
              ps.setArray(2, ps.getConnection().createArrayOf("text", statuses.stream().map(Enum::name).toArray()));
            })
        == 1;
  }

  private Optional<JobSnapshot> one(String where, Object key) {
    return sql.query(JobRows.SELECT + where, ps -> ps.setObject(1, key), JobRows::snapshot).stream().findFirst();
  }
}
