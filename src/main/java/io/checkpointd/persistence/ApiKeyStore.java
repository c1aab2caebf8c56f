package io.checkpointd.persistence;

import io.checkpointd.model.ApiKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** API keys, by hash; a revocation is signalled to every instance on {@value #CHANNEL}. */
@ApplicationScoped
public class ApiKeyStore {

  /** Carries the hash of a revoked key: every instance drops it from its cache at once. */
  public static final String CHANNEL = "checkpointd_keys";

  private static final String COLUMNS = "id, prefix, tenant, roles, name, created_at, created_by, revoked_at";

  private final Sql sql;

  ApiKeyStore(Sql sql) {
    this.sql = sql;
  }

  public ApiKey insert(UUID id, String prefix, String keyHash, String tenant, List<String> roles, String name, String createdBy) {
    return sql.query(
        "insert into api_key (id, prefix, key_hash, tenant, roles, name, created_by) values (?, ?, ?, ?, ?, ?, ?)"
            + " returning " + COLUMNS,
        ps -> {
          ps.setObject(1, id);
          ps.setString(2, prefix);
          ps.setString(3, keyHash);
          ps.setString(4, tenant);
          ps.setArray(5, ps.getConnection().createArrayOf("text", roles.toArray()));
          ps.setString(6, name);
          ps.setString(7, createdBy);
        },
        ApiKeyStore::key).get(0);
  }

  /** The key with this hash, revoked or not. */
  public Optional<ApiKey> findByHash(String keyHash) {
    return sql.query("select " + COLUMNS + " from api_key where key_hash = ?", ps -> ps.setString(1, keyHash), ApiKeyStore::key)
        .stream().findFirst();
  }

  /** Every key, newest first; {@code tenant} null for all tenants. */
  public List<ApiKey> list(String tenant) {
    return sql.query(
        "select " + COLUMNS + " from api_key where tenant = coalesce(?, tenant) order by created_at desc, id",
        ps -> ps.setString(1, tenant),
        ApiKeyStore::key);
  }

  /** Whether any key is in force: then the service requires keys even without an admin key configured. */
  public boolean anyActive() {
    return !sql.query("select 1 from api_key where revoked_at is null limit 1", ps -> {}, rs -> 1).isEmpty();
  }

  /**
   * Revokes the key (of {@code tenant}, or any when null) and tells every instance in the same
   * statement; the key is returned as it is now, empty when there is no such key.
   */
  public Optional<ApiKey> revoke(UUID id, String tenant) {
    return sql.query(
        "with revoked as (update api_key set revoked_at = coalesce(revoked_at, now()) where id = ?"
            + " and tenant = coalesce(?, tenant) returning " + COLUMNS + ", key_hash)"
            + " select " + COLUMNS + ", pg_notify('" + CHANNEL + "', key_hash) from revoked",
        ps -> {
          ps.setObject(1, id);
          ps.setString(2, tenant);
        },
        ApiKeyStore::key).stream().findFirst();
  }

  private static ApiKey key(ResultSet rs) throws SQLException {
    Array roles = rs.getArray(4);
    return new ApiKey(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        rs.getString(3),
        new LinkedHashSet<>(Arrays.asList((String[]) roles.getArray())),
        rs.getString(5),
        rs.getObject(6, OffsetDateTime.class),
        rs.getString(7),
        rs.getObject(8, OffsetDateTime.class));
  }
}
