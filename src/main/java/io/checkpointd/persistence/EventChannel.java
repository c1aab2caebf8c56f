package io.checkpointd.persistence;

import io.checkpointd.model.JobEvent;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The stored events of every instance, as {@link EventStore} signals them on {@value EventStore#CHANNEL}. */
public final class EventChannel implements AutoCloseable {

  private final ListenConnection connection;

  private EventChannel(ListenConnection connection) {
    this.connection = connection;
  }

  public static EventChannel listen(String url, String user, String password) throws SQLException {
    return new EventChannel(ListenConnection.open(url, user, password, EventStore.CHANNEL));
  }

  /** The events that arrived, waiting up to {@code millis} for the first. */
  public List<JobEvent> poll(int millis) throws SQLException {
    List<JobEvent> events = new ArrayList<>();
    for (String payload : connection.poll(millis)) {
      EventStore.parse(payload).ifPresent(events::add);
    }
    return events;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
