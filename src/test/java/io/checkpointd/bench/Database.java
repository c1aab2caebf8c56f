package io.checkpointd.bench;

import io.checkpointd.embedded.EmbeddedPostgresLauncher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The PostgreSQL the benchmarks run on: QUARKUS_DATASOURCE_JDBC_URL, or an embedded one. */
final class Database implements AutoCloseable {

  private final String url;
  private final String user;
  private final String password;
  private final EmbeddedPostgres embedded;

  private Database(String url, String user, String password, EmbeddedPostgres embedded) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
  }

  static Database open(Path dir) {
    String url = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
    if (url != null && !url.isBlank()) {
      return new Database(url, System.getenv("QUARKUS_DATASOURCE_USERNAME"), System.getenv("QUARKUS_DATASOURCE_PASSWORD"), null);
    }
    EmbeddedPostgres pg = EmbeddedPostgresLauncher.start(dir, 0);
    return new Database(pg.getJdbcUrl("postgres", "postgres"), "postgres", EmbeddedPostgresLauncher.password(dir), pg);
  }

  String url() {
    return url;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  long queryLong(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  String queryString(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  void execute(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public void close() throws Exception {
    if (embedded != null) {
      embedded.close();
    }
  }
}
