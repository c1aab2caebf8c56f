package io.checkpointd.embedded;

import io.quarkus.runtime.ApplicationLifecycleManager;
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
      // A start that fails or is refused (say, listening on 0.0.0.0 with no key) exits through
      // this handler's System.exit, never reaching the finally below: stop the database first, or
      // it outlives the service and holds its data directory. As the default handler, not one
      // passed to run(): Quarkus logs why the start failed only for its default.
      ApplicationLifecycleManager.setDefaultExitCodeHandler(exitCode -> {
        EmbeddedPostgresLauncher.stop();
        System.exit(exitCode);
      });
      Quarkus.run(args);
    } finally {
      // Normally already stopped by EmbeddedPostgresShutdown.
      EmbeddedPostgresLauncher.stop();
    }
  }
}
