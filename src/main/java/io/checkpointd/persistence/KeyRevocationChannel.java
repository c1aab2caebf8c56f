package io.checkpointd.persistence;

import java.sql.SQLException;
import java.util.List;

/** The hashes of keys revoked on any instance, as {@link ApiKeyStore#revoke} signals them. */
public final class KeyRevocationChannel implements AutoCloseable {

  private final ListenConnection connection;

  private KeyRevocationChannel(ListenConnection connection) {
    this.connection = connection;
  }

  public static KeyRevocationChannel listen(String url, String user, String password) throws SQLException {
    return new KeyRevocationChannel(ListenConnection.open(url, user, password, ApiKeyStore.CHANNEL));
  }

  /** The hashes of the keys revoked since, waiting up to {@code millis} for the first. */
  public List<String> poll(int millis) throws SQLException {
    return connection.poll(millis);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
