package io.checkpointd.persistence;

import java.sql.SQLException;

/**
 * Whether a failure means the database is down or saturated (worth retrying later) rather than a
 * fault in the request or the service: the API answers those with 503 and Retry-After.
 */
public final class DatabaseUnavailable {

  private DatabaseUnavailable() {}

  public static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException e && isUnavailable(e)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUnavailable(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      // Agroal's pool gives no SQLState when no connection came within the acquisition timeout.
      String message = e.getMessage();
      return message != null && message.toLowerCase().contains("acquisition timeout");
    }
    return state.startsWith("08") // connection exception: refused, broken
        || state.startsWith("53") // insufficient resources: too many connections, out of memory
        || state.equals("57014") // query_canceled: statement_timeout
        || state.startsWith("57P") // shutting down, restarting, cannot connect now
        || state.equals("55P03"); // lock_not_available
  }
}
