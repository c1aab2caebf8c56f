package io.checkpointd.persistence;

import io.checkpointd.model.JobEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A dedicated connection listening on {@value EventStore#CHANNEL}: the stored events of every
 * instance, each delivered once its transaction committed. Not from the pool: it is held for the
 * life of the instance.
 */
public final class EventChannel implements AutoCloseable {

  private final Connection connection;
  private final PGConnection pg;

  private EventChannel(Connection connection) throws SQLException {
    this.connection = connection;
    this.pg = connection.unwrap(PGConnection.class);
  }

  public static EventChannel listen(String url, String user, String password) throws SQLException {
    Connection connection = DriverManager.getConnection(url, user, password);
    try (Statement statement = connection.createStatement()) {
      String listen = "LISTEN " + EventStore.CHANNEL;
      SqlRecorder.record(listen);
      statement.execute(listen);
      return new EventChannel(connection);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** The events that arrived, waiting up to {@code millis} for the first. */
  public List<JobEvent> poll(int millis) throws SQLException {
    PGNotification[] notifications = pg.getNotifications(millis);
    List<JobEvent> events = new ArrayList<>();
    if (notifications != null) {
      for (PGNotification n : notifications) {
        EventStore.parse(n.getParameter()).ifPresent(events::add);
      }
    }
    return events;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
