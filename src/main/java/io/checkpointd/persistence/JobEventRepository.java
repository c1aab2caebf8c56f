package io.checkpointd.persistence;

import io.checkpointd.job.JobEventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A job's history, bounded: only the newest {@link #KEPT} events per job are kept. */
@ApplicationScoped
public class JobEventRepository {

  static final int KEPT = 100;

  /** One event as stored. */
  public record StoredEvent(long id, JobEventType type, OffsetDateTime at, String detail) {}

  private final Sql sql;

  JobEventRepository(Sql sql) {
    this.sql = sql;
  }

  /** Appends an event, in the caller's transaction when there is one. */
  @Transactional
  public void append(UUID jobId, JobEventType type, String detail) {
    sql.update(
        "insert into job_event (job_id, type, detail) values (?, ?, ?)",
        ps -> {
          ps.setObject(1, jobId);
          ps.setString(2, type.name());
          ps.setString(3, detail);
        });
    sql.update(
        "delete from job_event where job_id = ? and id <= "
            + "(select id from job_event where job_id = ? order by id desc offset ? limit 1)",
        ps -> {
          ps.setObject(1, jobId);
          ps.setObject(2, jobId);
          ps.setInt(3, KEPT);
        });
  }

  @Transactional
  public List<StoredEvent> oldestFirst(UUID jobId) {
    return sql.query(
        "select id, type, at, detail from job_event where job_id = ? order by id",
        ps -> ps.setObject(1, jobId),
        rs -> new StoredEvent(
            rs.getLong(1), JobEventType.valueOf(rs.getString(2)), rs.getObject(3, OffsetDateTime.class), rs.getString(4)));
  }
}
