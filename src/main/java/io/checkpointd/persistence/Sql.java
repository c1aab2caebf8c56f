package io.checkpointd.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Plain JDBC on a managed datasource. Inside a {@code @Transactional} method the connection is
 * the transaction's, so several statements commit or roll back together. There are two (see
 * {@link SqlPools}): the API's, and the engine's ({@link Engine}), which API traffic cannot drain.
 * A transaction must use only one of them: the two pools are two resources to the transaction
 * manager, which does not commit two non-XA resources together.
 */
class Sql {

  private final DataSource dataSource;

  /** The engine's connections: leases, checkpoints, recovery. */
  @jakarta.inject.Qualifier
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target({
    java.lang.annotation.ElementType.FIELD,
    java.lang.annotation.ElementType.PARAMETER,
    java.lang.annotation.ElementType.METHOD
  })
  @interface Engine {}

  Sql(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  int update(String sql, Binder binder) {
    SqlRecorder.record(sql);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new PersistenceFailure(e);
    }
  }

  <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
    SqlRecorder.record(sql);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new PersistenceFailure(e);
    }
  }

  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }
}
