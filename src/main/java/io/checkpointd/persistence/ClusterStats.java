package io.checkpointd.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Cluster-wide figures for operators, read from the job table (so every instance reports the same).
 * Each is one aggregate over the table: callers cache them rather than ask per scrape or per page.
 */
@ApplicationScoped
public class ClusterStats {

  private final Sql sql;

  ClusterStats(Sql sql) {
    this.sql = sql;
  }

  /** How many jobs there are of one kind in one status. */
  public record JobCount(String status, String kind, long jobs) {}

  /** A worker holding leases on running jobs, as the job table says. */
  public record LeaseHolding(
      String owner, long runningJobs, OffsetDateTime soonestExpiry, OffsetDateTime latestExpiry, OffsetDateTime now) {}

  public List<JobCount> jobsByStatusAndKind() {
    return sql.query(
        "select status, kind, count(*) from job group by status, kind",
        ps -> {},
        rs -> new JobCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
  }

  /**
   * Seconds the longest-waiting queued job has waited to be claimed, or 0 when none waits. A job
   * that is waiting out a retry backoff ({@code not_before}) waits only from then on.
   */
  public double oldestQueuedAgeSeconds() {
    return sql.query(
        "select coalesce(extract(epoch from now() - min(greatest(updated_at, coalesce(not_before, updated_at)))), 0)"
            + " from job where status = 'QUEUED' and (not_before is null or not_before <= now())",
        ps -> {},
        rs -> rs.getDouble(1)).get(0);
  }

  /** Iterations and seconds of work done since the last durable checkpoint, summed over jobs. */
  public record WorkAtRisk(long iterations, double seconds) {}

  /**
   * Work at risk of the jobs that external workers run, as their heartbeats reported it: the
   * iteration a job's row names beyond its newest checkpoint, and the time since that checkpoint
   * (or since the claim, without one). The engine counts its own jobs from memory; these it can
   * only know from what the workers sent.
   */
  public WorkAtRisk externalWorkAtRisk() {
    return sql.query(
        "select coalesce(sum(greatest(0, j.iteration - coalesce(c.iteration, 0))), 0),"
            + " coalesce(sum(case when j.iteration > coalesce(c.iteration, 0)"
            + " then extract(epoch from now() - coalesce(c.created_at, j.started_at, j.updated_at)) else 0 end), 0)"
            + " from job j left join lateral (select c.iteration, c.created_at from checkpoint c"
            + " where c.job_id = j.id and not c.set_aside order by c.seq desc limit 1) c on true"
            + " where j.status = 'RUNNING' and exists (select 1 from job_kind k where k.name = j.kind and k.tenant = j.tenant)",
        ps -> {},
        rs -> new WorkAtRisk(rs.getLong(1), rs.getDouble(2))).get(0);
  }

  /**
   * Every worker that holds leases on RUNNING jobs now, with how many of {@code tenant}'s jobs (every
   * tenant's when it is null) and when its leases expire. Workers that hold only other tenants' jobs
   * are listed too, with none: a worker is shared, the jobs it runs are not.
   */
  public List<LeaseHolding> leaseHolders(String tenant) {
    return sql.query(
        "select owner, count(*) filter (where tenant = coalesce(?::text, tenant)), min(lease_expires_at),"
            + " max(lease_expires_at), now() from job where status = 'RUNNING' and owner is not null group by owner order by owner",
        ps -> ps.setString(1, tenant),
        rs -> new LeaseHolding(rs.getString(1), rs.getLong(2), rs.getObject(3, OffsetDateTime.class),
            rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class)));
  }
}
