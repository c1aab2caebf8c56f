package io.checkpointd.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs a real PostgreSQL from binaries shipped in a Maven artifact, so that the service needs
 * nothing installed. Its data directory survives restarts, which is the whole point: a restart
 * must find the checkpoints of the previous life.
 */
public final class EmbeddedPostgresLauncher {

  private static final Logger LOG = Logger.getLogger(EmbeddedPostgresLauncher.class);
  private static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";
  private static EmbeddedPostgres server;

  private EmbeddedPostgresLauncher() {}

  /** Starts the embedded server unless a JDBC URL is configured (system property or environment). */
  public static synchronized void startIfNoDatabaseConfigured() {
    if (isDatabaseConfigured() || server != null) {
      return;
    }
    Path dataDir =
        Path.of(setting("checkpointd.embedded-postgres.data-dir", "CHECKPOINTD_EMBEDDED_POSTGRES_DATA_DIR")
                .orElse("data/postgres"))
            .toAbsolutePath();
    int port =
        Integer.parseInt(
            setting("checkpointd.embedded-postgres.port", "CHECKPOINTD_EMBEDDED_POSTGRES_PORT").orElse("0"));
    server = start(dataDir, port);
    System.setProperty(URL_PROPERTY, server.getJdbcUrl("postgres", "postgres"));
    System.setProperty("quarkus.datasource.username", "postgres");
    System.setProperty("quarkus.datasource.password", "postgres");
    LOG.infof("Embedded PostgreSQL on port %d, data in %s", server.getPort(), dataDir);
  }

  /**
   * Starts PostgreSQL on {@code dataDir}, first stopping one that a killed previous life of the
   * service left running there (after kill -9 nothing stops it, and it holds the directory).
   */
  public static EmbeddedPostgres start(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
      StalePostmaster.stopIfRunning(dataDir, Duration.ofSeconds(60));
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              // Its own JVM hook would stop the server while graceful shutdown still writes the
              // last checkpoints; EmbeddedPostgresShutdown stops it after them.
              .setRegisterShutdownHook(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              // zonky turns these off for speed; a checkpoint that is not durable is not a checkpoint.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("max_connections", "100");
      if (port > 0) {
        builder.setPort(port);
      }
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDir, e);
    }
  }

  /** Stops the server this class started, if any. */
  public static synchronized void stop() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
      }
      server = null;
    }
  }

  private static boolean isDatabaseConfigured() {
    return setting(URL_PROPERTY, "QUARKUS_DATASOURCE_JDBC_URL").filter(s -> !s.isBlank()).isPresent();
  }

  private static Optional<String> setting(String property, String env) {
    return Optional.ofNullable(System.getProperty(property)).or(() -> Optional.ofNullable(System.getenv(env)));
  }
}
