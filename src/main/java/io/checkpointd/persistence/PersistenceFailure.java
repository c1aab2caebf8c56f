package io.checkpointd.persistence;

import java.sql.SQLException;

/** The database could not be reached or refused a statement; the caller's work is not done. */
public class PersistenceFailure extends RuntimeException {

  public PersistenceFailure(SQLException cause) {
    super(cause.getMessage(), cause);
  }
}
