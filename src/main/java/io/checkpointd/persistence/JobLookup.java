package io.checkpointd.persistence;

import io.checkpointd.model.JobSnapshot;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * One job read without holding a thread: the API's most frequent request, GET /jobs/{id}, is
 * answered on the event loop that received it. The statement and the row's mapping are
 * {@link JobStore#find(UUID, String)}'s; only the driver differs ({@link ReadPool}).
 */
@ApplicationScoped
public class JobLookup {

  private static final String BY_ID = JobRows.SELECT + " where id = ? and " + JobRows.IN_TENANT;
  /** The same statement with the numbered placeholders the non-blocking driver takes. */
  private static final String BY_ID_NUMBERED = BY_ID.replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2");

  private final ReadPool reads;

  JobLookup(ReadPool reads) {
    this.reads = reads;
  }

  /** The job if it is {@code tenant}'s (null: anyone's), as {@link JobStore#find(UUID, String)}. */
  public CompletionStage<Optional<JobSnapshot>> find(UUID id, String tenant) {
    // recorded in the JDBC form: the statement is JobStore.find's, which the upgrade corpus runs
    SqlRecorder.record(BY_ID);
    return reads.client().preparedQuery(BY_ID_NUMBERED).execute(Tuple.of(id, tenant))
        .recover(failure -> Future.failedFuture(asPersistenceFailure(failure)))
        .map(rows -> {
          RowIterator<io.vertx.sqlclient.Row> it = rows.iterator();
          try {
            return it.hasNext() ? Optional.of(JobRows.snapshot(Columns.of(it.next()))) : Optional.<JobSnapshot>empty();
          } catch (SQLException e) {
            throw new PersistenceFailure(e); // the row adapter throws none; the signature is JDBC's
          }
        })
        .toCompletionStage();
  }

  /**
   * A failure as the JDBC reads report it, so the API answers it alike (503 when the database is
   * down or busy): PostgreSQL's own error keeps its SQLState; any other failure of the driver is
   * the connection's (refused, broken, or no connection free in time).
   */
  static PersistenceFailure asPersistenceFailure(Throwable failure) {
    if (failure instanceof PgException pg) {
      return new PersistenceFailure(new SQLException(pg.getErrorMessage(), pg.getSqlState(), pg));
    }
    return new PersistenceFailure(new SQLException(String.valueOf(failure.getMessage()), "08006", failure));
  }
}
