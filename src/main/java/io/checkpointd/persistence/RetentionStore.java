package io.checkpointd.persistence;

import java.time.Duration;

/**
 * Deletes finished jobs past their retention, with their checkpoints and events (by cascade).
 * Oldest first, a batch at a time, skipping rows another instance's sweep (or a client) holds, so
 * that sweeps on several instances share the work and never lock the job table.
 */
@jakarta.enterprise.context.ApplicationScoped
public class RetentionStore {

  private final Sql sql;
  private final DatabaseClock clock;

  RetentionStore(@Sql.Engine Sql sql, DatabaseClock clock) {
    this.sql = sql;
    this.clock = clock;
  }

  /** Deletes at most {@code limit} jobs that finished more than {@code keep} ago; how many. */
  public int deleteFinished(Duration keep, int limit) {
    return sql.update(
        "delete from job where id in (select id from job where status in ('SUCCEEDED', 'FAILED', 'CANCELLED')"
            + " and finished_at < " + clock.now() + " - ? * interval '1 millisecond'"
            + " order by finished_at limit ? for update skip locked)",
        ps -> {
          ps.setLong(1, keep.toMillis());
          ps.setInt(2, limit);
        });
  }
}
