package io.checkpointd.embedded;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts an embedded PostgreSQL when no database is configured, then the service.
 *
 * <p>Why here and not in a CDI bean: the datasource and Flyway read their URL while Quarkus boots,
 * so the server must be up, and its URL known, before {@link Quarkus#run} begins.
 */
@QuarkusMain
public class CheckpointdMain {

  public static void main(String... args) {
    EmbeddedPostgresLauncher.startIfNoDatabaseConfigured();
    try {
      Quarkus.run(args);
    } finally {
      // Normally already stopped by EmbeddedPostgresShutdown; this covers a failed start.
      EmbeddedPostgresLauncher.stop();
    }
  }
}
