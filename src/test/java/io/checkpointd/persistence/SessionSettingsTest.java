package io.checkpointd.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** What every connection of the service sets for itself, whatever the server's defaults. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class SessionSettingsTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void commits_are_durable_even_on_a_server_whose_default_is_asynchronous_commit() throws SQLException {
    // An external server may default to synchronous_commit = off; the embedded one forces it on.
    Timestamp changed = execute("ALTER ROLE CURRENT_USER SET synchronous_commit = off");
    try {
      dataSource.flush(AgroalDataSource.FlushMode.ALL);
      String setting = await().atMost(Duration.ofSeconds(20))
          .until(() -> onAConnectionOpenedAfter(changed, "synchronous_commit"), Objects::nonNull);
      assertThat(setting).isEqualTo("on");
    } finally {
      execute("ALTER ROLE CURRENT_USER RESET synchronous_commit");
      dataSource.flush(AgroalDataSource.FlushMode.ALL);
    }
  }

  /** Runs {@code sql}; returns the database's time just after it. */
  private Timestamp execute(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.createStatement().execute(sql);
      try (ResultSet r = c.createStatement().executeQuery("SELECT clock_timestamp()")) {
        r.next();
        return r.getTimestamp(1);
      }
    }
  }

  /** The setting as a pooled connection opened after {@code after} sees it; null from an older one. */
  private String onAConnectionOpenedAfter(Timestamp after, String setting) {
    // The flush closes the pool's connections in the background: one taken now may be old or closing.
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT backend_start > ?, current_setting(?) FROM pg_stat_activity WHERE pid = pg_backend_pid()")) {
      s.setTimestamp(1, after);
      s.setString(2, setting);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getBoolean(1) ? r.getString(2) : null;
      }
    } catch (SQLException closedByTheFlush) {
      return null;
    }
  }
}
