package io.checkpointd.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A dedicated connection listening on one channel: each payload is delivered once the transaction
 * that sent it committed. Not from the pool: it is held for the life of the instance.
 */
final class ListenConnection implements AutoCloseable {

  private final Connection connection;
  private final PGConnection pg;

  private ListenConnection(Connection connection) throws SQLException {
    this.connection = connection;
    this.pg = connection.unwrap(PGConnection.class);
  }

  /** {@code channel} is one of this package's constants, never input: LISTEN takes no parameter. */
  static ListenConnection open(String url, String user, String password, String channel) throws SQLException {
    Connection connection = DriverManager.getConnection(url, user, password);
    try (Statement statement = connection.createStatement()) {
      String listen = "LISTEN " + channel;
      SqlRecorder.record(listen);
      statement.execute(listen);
      return new ListenConnection(connection);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** The payloads that arrived, waiting up to {@code millis} for the first. */
  List<String> poll(int millis) throws SQLException {
    PGNotification[] notifications = pg.getNotifications(millis);
    List<String> payloads = new ArrayList<>();
    if (notifications != null) {
      for (PGNotification n : notifications) {
        payloads.add(n.getParameter());
      }
    }
    return payloads;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
