package io.checkpointd.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.model.JobEvent;
import io.checkpointd.model.JobEventType;
import io.checkpointd.model.NewEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Jobs' histories, and the one way an event is written: in the transaction of the change it
 * describes, with a NOTIFY on {@value #CHANNEL} that PostgreSQL delivers to every instance only
 * once that transaction commits. So every instance sees every stored event, after commit, once.
 * Only the newest {@link #KEPT} events per job are kept.
 */
@ApplicationScoped
public class EventStore {

  public static final String CHANNEL = "checkpointd_events";
  static final int KEPT = 100;
  // NOTIFY payloads are limited to 8000 bytes; a long error message is cut in the signal, not in the history.
  private static final int DETAIL_IN_SIGNAL = 2000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Sql api;
  private final Sql engine;

  EventStore(Sql api, @Sql.Engine Sql engine) {
    this.api = api;
    this.engine = engine;
  }

  /** Records events from the engine, in the caller's transaction when there is one. */
  @Transactional
  public void append(List<NewEvent> events) {
    append(engine, events);
  }

  /**
   * Records events on {@code sql}: the pool of the caller's transaction, since one transaction
   * cannot span both pools.
   */
  @Transactional
  void append(Sql sql, List<NewEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    UUID[] ids = events.stream().map(NewEvent::jobId).toArray(UUID[]::new);
    sql.query(
        // a job deleted meanwhile (or never there: a write refused for a made-up id) has no history to add to
        "with " + recording("select v.* from unnest(?::uuid[], ?::text[], ?::text[]) as v(job_id, type, detail)"
            + " where exists (select 1 from job j where j.id = v.job_id)") + " select n from signalled",
        ps -> {
          ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids));
          ps.setArray(2, ps.getConnection().createArrayOf("text", events.stream().map(e -> e.type().name()).toArray()));
          ps.setArray(3, ps.getConnection().createArrayOf("text", events.stream().map(NewEvent::detail).toArray()));
        },
        rs -> 1);
  }

  /**
   * Common table expressions that store the events {@code source} selects, as (job_id, type,
   * detail), signal each of them on {@value #CHANNEL}, and keep the newest {@value #KEPT} events
   * each of those jobs had before. They end in {@code signalled}, one row holding the number
   * signalled, which the statement's final select must read: a CTE that only selects runs only
   * when read (the inserting and deleting ones always run). With them a change and its events are
   * one statement, which commits on its own: one round trip where a transaction around two
   * statements takes three.
   */
  static String recording(String source) {
    return stored(source)
        // the statement's snapshot does not see the rows it inserts: these are the older ones
        + " pruned_events as (delete from job_event e using stored_events s where e.job_id = s.job_id and e.id <="
        + " (select o.id from job_event o where o.job_id = s.job_id order by o.id desc offset " + KEPT + " limit 1)),"
        + signalled();
  }

  /**
   * {@link #recording} for the first events of jobs the same statement creates: they have no
   * older events to prune. Why it matters: with the pruning's per-row subquery, PostgreSQL planned
   * the creations' statement afresh at every execution (its estimate grows with the batch, so the
   * cached generic plan never looked cheaper), and that planning was a third of the statement's
   * CPU in a profile; without it, the generic plan is reused.
   */
  static String recordingFirst(String source) {
    return stored(source) + signalled();
  }

  private static String stored(String source) {
    return "stored_events as (insert into job_event (job_id, type, detail) " + source
        + " returning id, job_id, type, at, detail),";
  }

  private static String signalled() {
    return " signalled as (select count(pg_notify('" + CHANNEL + "', json_build_object('id', id, 'job', job_id,"
        + " 'type', type, 'at', at, 'detail', left(detail, " + DETAIL_IN_SIGNAL + "))::text)) as n from stored_events)";
  }

  @Transactional
  public void append(UUID jobId, JobEventType type, String detail) {
    append(engine, List.of(new NewEvent(jobId, type, detail)));
  }

  @Transactional
  void append(Sql sql, UUID jobId, JobEventType type, String detail) {
    append(sql, List.of(new NewEvent(jobId, type, detail)));
  }

  public List<JobEvent> oldestFirst(UUID jobId) {
    return api.query(
        "select id, type, at, detail from job_event where job_id = ? order by id",
        ps -> ps.setObject(1, jobId),
        rs -> new JobEvent(rs.getLong(1), jobId, JobEventType.valueOf(rs.getString(2)),
            rs.getObject(3, OffsetDateTime.class), rs.getString(4), null, null));
  }

  /**
   * Stored events after {@code afterId}, oldest first, at most {@code limit}: of one job, or of all
   * jobs. A live stream that reconnects catches up with them.
   */
  public List<JobEvent> after(long afterId, Optional<UUID> jobId, int limit) {
    return api.query(
        "select id, job_id, type, at, detail from job_event where id > ?"
            + (jobId.isPresent() ? " and job_id = ?" : "") + " order by id limit ?",
        ps -> {
          int i = 1;
          ps.setLong(i++, afterId);
          if (jobId.isPresent()) {
            ps.setObject(i++, jobId.get());
          }
          ps.setInt(i, limit);
        },
        rs -> new JobEvent(rs.getLong(1), rs.getObject(2, UUID.class), JobEventType.valueOf(rs.getString(3)),
            rs.getObject(4, OffsetDateTime.class), rs.getString(5), null, null));
  }

  /** The event a {@value #CHANNEL} notification carries; empty for a payload this version does not know. */
  public static Optional<JobEvent> parse(String payload) {
    try {
      JsonNode n = JSON.readTree(payload);
      return Optional.of(new JobEvent(
          n.get("id").asLong(),
          UUID.fromString(n.get("job").asText()),
          JobEventType.valueOf(n.get("type").asText()),
          OffsetDateTime.parse(n.get("at").asText()),
          n.hasNonNull("detail") ? n.get("detail").asText() : null,
          null,
          null));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
