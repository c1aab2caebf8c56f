package io.checkpointd.persistence;

import io.checkpointd.model.CheckpointWrite;
import io.checkpointd.model.JobCursor;
import io.checkpointd.model.JobEventType;
import io.checkpointd.model.JobSnapshot;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.RequestedStop;
import jakarta.enterprise.context.ApplicationScoped;
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

  /** Most creations in one statement: a batch of 16 clients' is 16; this bounds a burst's. */
  private static final int MAX_CREATIONS_PER_STATEMENT = 256;

  private final Sql sql;
  private final GroupCommit<NewJobRow, Optional<JobSnapshot>> creations =
      new GroupCommit<>(MAX_CREATIONS_PER_STATEMENT, this::insertAll);

  JobStore(Sql sql) {
    this.sql = sql;
  }

  /** The columns of a new job. */
  public record NewJobRow(
      UUID id, String kind, String params, Integer everyIterations, Double everySeconds, long total, int maxAttempts,
      String idempotencyKey, String requestHash, boolean retainAfterSuccess, JobSnapshot.Milestones milestones,
      String tenant, String createdBy) {}

  /** The job {@link #create} stored or found, and whether it is new. */
  public record Created(JobSnapshot job, boolean isNew) {}

  /**
   * A new job, QUEUED; with an idempotency key already used, the job that key created instead.
   * Creations that arrive together are written together ({@link GroupCommit}). Why: each create
   * is a durable commit whose NOTIFY takes PostgreSQL's one notify-queue lock until the commit is
   * flushed, so one statement per create puts every create in single file behind each other's
   * disk flush; one statement for many takes the lock and the flush once.
   */
  public Created create(NewJobRow row) {
    return creations.submit(row)
        .map(job -> new Created(job, true))
        // a key already used: its job is found once the statement that saw the conflict has committed
        .orElseGet(() -> new Created(one(" where idempotency_key = ?", row.idempotencyKey()).orElseThrow(), false));
  }

  /**
   * The jobs of {@code rows} and their CREATED events in one statement; in the order of rows, each
   * job inserted, or empty where its idempotency key was taken (by an earlier job or an earlier
   * row). Each row's created_at is the clock's when it is inserted, not the statement's start, so
   * the jobs of one batch are listed and claimed in the order they came.
   */
  private List<Optional<JobSnapshot>> insertAll(List<NewJobRow> rows) {
    String statement =
        "with input as (select * from unnest(?::uuid[], ?::text[], ?::text[], ?::int[], ?::float8[], ?::bigint[],"
            + " ?::int[], ?::text[], ?::text[], ?::boolean[], ?::int[], ?::int[], ?::text[], ?::text[]) with ordinality"
            + " as v(id, kind, params, every_iterations, every_seconds, total, max_attempts, idempotency_key,"
            + " request_hash, retain_after_success, milestone_every, milestones, tenant, created_by, n)),"
            + " job_row as (insert into job (id, kind, params, checkpoint_every_iterations, checkpoint_every_seconds,"
            + " status, total, max_attempts, idempotency_key, request_hash, checkpoint_retain_after_success,"
            + " checkpoint_milestone_every, checkpoint_milestones, tenant, created_at, updated_at)"
            + " select id, kind, params::jsonb, every_iterations, every_seconds, 'QUEUED', total, max_attempts,"
            + " idempotency_key, request_hash, retain_after_success, milestone_every, milestones, tenant,"
            + " clock_timestamp(), clock_timestamp() from input order by n"
            + " on conflict (idempotency_key) do nothing returning *),"
            + " " + EventStore.recordingFirst("select j.id, 'CREATED', 'by ' || i.created_by from job_row j join input i using (id)")
            + " select " + JobRows.COLUMNS + " from job_row cross join signalled";
    List<JobSnapshot> inserted = sql.query(statement, ps -> {
      java.sql.Connection c = ps.getConnection();
      ps.setArray(1, c.createArrayOf("uuid", rows.stream().map(NewJobRow::id).toArray()));
      ps.setArray(2, c.createArrayOf("text", rows.stream().map(NewJobRow::kind).toArray()));
      ps.setArray(3, c.createArrayOf("text", rows.stream().map(NewJobRow::params).toArray()));
      ps.setArray(4, c.createArrayOf("int4", rows.stream().map(NewJobRow::everyIterations).toArray()));
      ps.setArray(5, c.createArrayOf("float8", rows.stream().map(NewJobRow::everySeconds).toArray()));
      ps.setArray(6, c.createArrayOf("int8", rows.stream().map(NewJobRow::total).toArray()));
      ps.setArray(7, c.createArrayOf("int4", rows.stream().map(NewJobRow::maxAttempts).toArray()));
      ps.setArray(8, c.createArrayOf("text", rows.stream().map(NewJobRow::idempotencyKey).toArray()));
      ps.setArray(9, c.createArrayOf("text", rows.stream().map(NewJobRow::requestHash).toArray()));
      ps.setArray(10, c.createArrayOf("bool", rows.stream().map(NewJobRow::retainAfterSuccess).toArray()));
      ps.setArray(11, c.createArrayOf("int4", rows.stream().map(r -> r.milestones().every()).toArray()));
      ps.setArray(12, c.createArrayOf("int4", rows.stream().map(r -> r.milestones().count()).toArray()));
      ps.setArray(13, c.createArrayOf("text", rows.stream().map(NewJobRow::tenant).toArray()));
      ps.setArray(14, c.createArrayOf("text", rows.stream().map(NewJobRow::createdBy).toArray()));
    }, JobRows::snapshot);
    java.util.Map<UUID, JobSnapshot> byId = new java.util.HashMap<>();
    inserted.forEach(job -> byId.put(job.id(), job));
    return rows.stream().map(r -> Optional.ofNullable(byId.get(r.id()))).toList();
  }

  /**
   * A new QUEUED job that starts from {@code first} (its checkpoint seq 1), forked from checkpoint
   * {@code parentSeq} of {@code parent}; with an idempotency key already used, the job that key
   * created instead. No job exists without its starting state: job, checkpoint and both jobs'
   * events are one statement.
   */
  public Created fork(NewJobRow row, UUID parent, long parentSeq, CheckpointWrite first, int keep) {
    return insert(row, new ForkStart(parent, parentSeq, first, keep));
  }

  private record ForkStart(UUID parent, long parentSeq, CheckpointWrite first, int keep) {}

  /**
   * The forked job, its starting checkpoint and both jobs' events in one statement: it commits
   * alone, without a transaction around it.
   */
  private Created insert(NewJobRow row, ForkStart fork) {
    String statement =
        "with job_row as (insert into job (id, kind, params, checkpoint_every_iterations, checkpoint_every_seconds,"
            + " status, total, max_attempts, idempotency_key, request_hash, checkpoint_retain_after_success,"
            + " checkpoint_milestone_every, checkpoint_milestones, tenant, iteration, last_checkpoint_seq,"
            + " last_checkpoint_iteration, last_checkpoint_at, forked_from_job, forked_from_seq)"
            + " values (?, ?, ?::jsonb, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?)"
            + " on conflict (idempotency_key) do nothing returning *),"
            + " first_checkpoint as (insert into checkpoint (job_id, slot, seq, iteration,"
            + " state_version, encoding, state, size_bytes, checksum) select id, ?, ?, ?, ?, ?, ?, ?, ? from job_row),"
            + " " + EventStore.recording(
                "select id, 'CREATED', ? from job_row union all select ?::uuid, 'FORKED', ? from job_row")
            + " select " + JobRows.COLUMNS + " from job_row cross join signalled";
    List<JobSnapshot> inserted = sql.query(statement, ps -> {
      int i = 1;
      ps.setObject(i++, row.id());
      ps.setString(i++, row.kind());
      ps.setString(i++, row.params());
      ps.setObject(i++, row.everyIterations());
      ps.setObject(i++, row.everySeconds());
      ps.setLong(i++, row.total());
      ps.setInt(i++, row.maxAttempts());
      ps.setString(i++, row.idempotencyKey());
      ps.setString(i++, row.requestHash());
      ps.setBoolean(i++, row.retainAfterSuccess());
      ps.setInt(i++, row.milestones().every());
      ps.setInt(i++, row.milestones().count());
      ps.setString(i++, row.tenant());
      CheckpointWrite first = fork.first();
      ps.setLong(i++, first.iteration());
      ps.setLong(i++, first.seq());
      ps.setLong(i++, first.iteration());
      ps.setObject(i++, fork.parent());
      ps.setLong(i++, fork.parentSeq());
      ps.setInt(i++, (int) (first.seq() % Math.max(1, fork.keep())));
      ps.setLong(i++, first.seq());
      ps.setLong(i++, first.iteration());
      ps.setInt(i++, first.stateVersion());
      ps.setString(i++, first.encoding());
      ps.setBytes(i++, first.state());
      ps.setInt(i++, first.state().length);
      ps.setString(i++, first.checksum());
      ps.setString(i++, "forked from job " + fork.parent() + " at checkpoint " + fork.parentSeq());
      ps.setObject(i++, fork.parent());
      ps.setString(i, "forked into job " + row.id() + " from checkpoint " + fork.parentSeq());
    }, JobRows::snapshot);
    if (inserted.isEmpty()) {
      return new Created(one(" where idempotency_key = ?", row.idempotencyKey()).orElseThrow(), false);
    }
    return new Created(inserted.get(0), true);
  }

  /** The job, whoever's it is: for the engine. */
  public Optional<JobSnapshot> find(UUID id) {
    return one(" where id = ?", id);
  }

  /** The job if it is {@code tenant}'s (null: anyone's): for clients, who never see another tenant's. */
  public Optional<JobSnapshot> find(UUID id, String tenant) {
    return sql.query(JobRows.SELECT + " where id = ? and " + JobRows.IN_TENANT, ps -> {
      ps.setObject(1, id);
      ps.setString(2, tenant);
    }, JobRows::snapshot).stream().findFirst();
  }

  /** The job an Idempotency-Key (as stored: per tenant) created, if any. */
  public Optional<JobSnapshot> findByIdempotencyKey(String storedKey) {
    return one(" where idempotency_key = ?", storedKey);
  }

  /** The tenant's QUEUED and RUNNING jobs, counted up to {@code limit} only. */
  public int countActive(String tenant, int limit) {
    return sql.query(
        "select count(*) from (select 1 from job where tenant = ? and status in ('QUEUED', 'RUNNING') limit ?) active",
        ps -> {
          ps.setString(1, tenant);
          ps.setInt(2, limit);
        },
        rs -> rs.getInt(1)).get(0);
  }

  /** RUNNING jobs held by any worker but {@code owner}, newest first: what a live view here cannot see run. */
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
  public List<JobSnapshot> list(
      String tenant, Optional<JobStatus> status, Optional<String> kind, Optional<JobCursor> after, int limit) {
    StringBuilder where = new StringBuilder(" where " + JobRows.IN_TENANT);
    List<Object> args = new ArrayList<>();
    args.add(tenant);
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
          ps.setString(1, tenant);
          for (int i = 1; i < args.size(); i++) {
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
  public boolean compareAndSet(
      UUID id, JobStatus from, RequestedStop fromRequested, JobStatus to, RequestedStop toRequested, JobEventType event,
      String by) {
    String eventOf = event == null ? "select id, null, null from moved where false" : "select id, ?, ? from moved";
    List<Long> moved =
        sql.query(
            "with moved as (update job set status = ?, requested = ?, updated_at = now(), not_before = null,"
                + " finished_at = case when ? in ('CANCELLED', 'SUCCEEDED') then now() when ? = 'QUEUED' then null"
                + " else finished_at end,"
                // a resumed job gets a fresh set of attempts
                + " attempts = case when ? = 'QUEUED' then 0 else attempts end,"
                + " error = case when ? = 'QUEUED' then null else error end"
                + " where id = ? and status = ? and requested is not distinct from ? returning id), "
                + EventStore.recording(eventOf)
                + " select n from moved cross join signalled",
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
              if (event != null) {
                ps.setString(10, event.name());
                ps.setString(11, "by " + by);
              }
            },
            rs -> rs.getLong(1));
    return !moved.isEmpty();
  }

  /** Deletes a job (and, by cascade, its checkpoints and events) if it is in one of {@code statuses}. */
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
