package io.checkpointd.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens liveness sessions: direct connections, never from the pool (a pooled connection is handed
 * back and forth; the lock must live exactly as long as the process).
 */
@ApplicationScoped
public class LivenessSessions {

  private final String url;
  private final Optional<String> user;
  private final Optional<String> password;

  LivenessSessions(
      @ConfigProperty(name = "checkpointd.liveness.jdbc-url") Optional<String> livenessUrl,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
    this.url = livenessUrl.filter(s -> !s.isBlank()).orElse(url);
    this.user = user;
    this.password = password;
  }

  /**
   * Opens a session that PostgreSQL ends within about {@code networkTimeout} of its client's host
   * vanishing without a word (power loss, cable pulled: no FIN reaches the server), and whose own
   * statements fail after that long rather than hang.
   */
  public LivenessSession open(Duration networkTimeout) {
    long seconds = Math.max(3, networkTimeout.toSeconds());
    Properties props = new Properties();
    user.ifPresent(u -> props.setProperty("user", u));
    password.ifPresent(p -> props.setProperty("password", p));
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("connectTimeout", Long.toString(seconds));
    props.setProperty("socketTimeout", Long.toString(seconds));
    props.setProperty("ApplicationName", "checkpointd liveness");
    try {
      Connection connection = DriverManager.getConnection(url, props);
      // The server's side of the socket: probe after a third of the timeout, then every sixth,
      // three probes; and give up on unacknowledged data after the timeout. Ignored on a Unix
      // socket, where a dead peer is always seen at once.
      String keepalives = "select set_config('tcp_keepalives_idle', ?, false), set_config('tcp_keepalives_interval', ?, false),"
          + " set_config('tcp_keepalives_count', '3', false), set_config('tcp_user_timeout', ?, false)";
      SqlRecorder.record(keepalives);
      try (PreparedStatement ps = connection.prepareStatement(keepalives)) {
        ps.setString(1, Long.toString(Math.max(1, seconds / 3)));
        ps.setString(2, Long.toString(Math.max(1, seconds / 6)));
        ps.setString(3, Long.toString(seconds * 1000));
        ps.executeQuery().close();
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
      return new LivenessSession(connection);
    } catch (SQLException e) {
      throw new PersistenceFailure(e);
    }
  }
}
