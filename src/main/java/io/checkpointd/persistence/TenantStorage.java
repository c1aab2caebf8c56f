package io.checkpointd.persistence;

import jakarta.enterprise.context.ApplicationScoped;

/** What a tenant stores, for its stored-bytes quota. */
@ApplicationScoped
public class TenantStorage {

  private final Sql sql;

  TenantStorage(Sql sql) {
    this.sql = sql;
  }

  /**
   * Bytes of every checkpoint of the tenant's jobs as stored (after compression): ring slots,
   * set-aside ones and milestones. Reads the tenant's jobs by {@code job_tenant_idx} and their
   * checkpoints by key; never the state itself. Why not a running total kept on each checkpoint:
   * that would be a write on the group commit's path, for a figure read at most once a second.
   */
  public long storedBytes(String tenant) {
    return sql.query(
        "select coalesce(sum(c.size_bytes), 0) from job j join checkpoint c on c.job_id = j.id where j.tenant = ?",
        ps -> ps.setString(1, tenant),
        rs -> rs.getLong(1)).get(0);
  }
}
