package io.checkpointd.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
  private static final FileAttribute<?> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  /** Passwords only, over TCP on loopback; there is no unix socket. */
  private static final String PG_HBA =
      "# Written by checkpointd at every start (EmbeddedPostgresLauncher): SCRAM passwords only.\n"
          + "host all all 127.0.0.1/32 scram-sha-256\n";
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
    System.setProperty("quarkus.datasource.password", password(dataDir));
    LOG.infof("Embedded PostgreSQL on port %d, data in %s", server.getPort(), dataDir);
  }

  /**
   * Starts PostgreSQL on {@code dataDir}, first stopping one that a killed previous life of the
   * service left running there (after kill -9 nothing stops it, and it holds the directory).
   *
   * <p>Why a password and no unix socket: zonky's default is {@code initdb -A trust}, which lets
   * any local user connect as superuser. The server listens on 127.0.0.1 only, with no socket, and
   * asks for the superuser's password (SCRAM), which {@link #password} reads.
   */
  public static EmbeddedPostgres start(Path dataDir, int port) {
    Path initdbPasswordFile = null;
    try {
      Files.createDirectories(dataDir);
      StalePostmaster.stopIfRunning(dataDir, Duration.ofSeconds(60));
      boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
      Optional<String> kept = SuperuserPassword.read(dataDir);
      // A data directory made by a version of the service that ran initdb -A trust.
      boolean trusting = !fresh && kept.isEmpty();
      String password = kept.orElseGet(SuperuserPassword::generate);
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
              .setServerConfig("max_connections", "100")
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("unix_socket_directories", "''")
              .setConnectConfig("password", password);
      if (fresh) {
        // zonky passes these after its own "-A trust": initdb takes the last --auth.
        initdbPasswordFile = Files.createTempFile("checkpointd-initdb", ".password", OWNER_ONLY);
        SuperuserPassword.writeTo(initdbPasswordFile, password);
        builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", initdbPasswordFile.toString());
      }
      if (!trusting) {
        builder.setDataDirectoryCustomizer(dir -> keepPasswordOnly(dataDir, password, kept.isEmpty()));
      }
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres server = builder.start();
      if (trusting) {
        setPasswordOnTrustingServer(server, dataDir, password);
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDir, e);
    } finally {
      deleteQuietly(initdbPasswordFile);
    }
  }

  /** The superuser's password of the server on {@code dataDir}, kept there since its first start. */
  public static String password(Path dataDir) {
    try {
      return SuperuserPassword.read(dataDir)
          .orElseThrow(() -> new IllegalStateException("no " + SuperuserPassword.FILE + " in " + dataDir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs after initdb, before the server starts: keeps a new password and (again at every start,
   * in case a previous start died halfway through {@link #setPasswordOnTrustingServer}) makes
   * pg_hba.conf accept passwords only.
   */
  private static void keepPasswordOnly(Path dataDir, String password, boolean isNew) {
    try {
      if (isNew) {
        SuperuserPassword.write(dataDir, password);
      }
      Files.writeString(dataDir.resolve("pg_hba.conf"), PG_HBA);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Moves a data directory made with -A trust to password authentication. */
  private static void setPasswordOnTrustingServer(EmbeddedPostgres server, Path dataDir, String password)
      throws IOException {
    LOG.info("Embedded PostgreSQL data directory allowed passwordless connections; setting a password");
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      // The password is base64url: nothing in it needs escaping.
      s.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
      SuperuserPassword.write(dataDir, password);
      Files.writeString(dataDir.resolve("pg_hba.conf"), PG_HBA);
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IOException("cannot set the superuser password", e);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.warnf("Cannot delete %s", file);
      }
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
