package io.checkpointd.persistence;

import io.agroal.api.AgroalPoolInterceptor;
import io.checkpointd.config.CheckpointdConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Bounds every statement on the API's pool (the default datasource; unqualified interceptors apply
 * to it only): a slow or blocked request gives its connection back after this long instead of
 * holding it while others queue. The engine's pool has no such bound: a group commit of a
 * thousand checkpoints must not be cancelled halfway for being large.
 */
@ApplicationScoped
public class ApiStatementTimeout implements AgroalPoolInterceptor {

  static final Duration HARD_CAP = Duration.ofMinutes(5);
  private static final Logger LOG = Logger.getLogger(ApiStatementTimeout.class);

  private final long millis;

  ApiStatementTimeout(CheckpointdConfig config) {
    Duration asked = config.api().statementTimeout();
    if (asked.compareTo(HARD_CAP) > 0 || asked.isZero() || asked.isNegative()) {
      LOG.warnf("checkpointd.api.statement-timeout %s is outside (0, %s]; using %s", asked, HARD_CAP, HARD_CAP);
      asked = HARD_CAP;
    }
    this.millis = asked.toMillis();
  }

  /** The bound, also set on the non-blocking reads' sessions ({@link ReadPool}). */
  long millis() {
    return millis;
  }

  @Override
  public void onConnectionCreate(Connection connection) {
    try (Statement s = connection.createStatement()) {
      // A number of milliseconds built here, not client text: nothing to bind or escape.
      String set = "SET statement_timeout = " + millis;
      SqlRecorder.record(set);
      s.execute(set);
    } catch (SQLException e) {
      throw new PersistenceFailure(e);
    }
  }
}
