package io.checkpointd.persistence;

import io.checkpointd.config.CheckpointdConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Non-blocking connections to the database the JDBC URL names, on the service's own event loops,
 * for {@link JobLookup}. Why a second driver for one read: a blocking read hands each request from
 * the event loop to a worker thread and back, and JDBC blocks that thread on its socket; on two
 * cores those hand-offs cost more than the read itself. Why from the JDBC URL: one setting names
 * the database, and every deployment, test and container that sets it keeps working.
 */
@ApplicationScoped
public class ReadPool {

  static final int HARD_CAP = 64;
  /** Reads waiting for a connection beyond this are refused at once (503) rather than queued. */
  static final int MAX_WAITING = 4096;
  private static final Logger LOG = Logger.getLogger(ReadPool.class);

  private final SqlClient client;

  ReadPool(
      Vertx vertx,
      CheckpointdConfig config,
      ApiStatementTimeout timeout,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      @ConfigProperty(name = "quarkus.datasource.jdbc.acquisition-timeout") Optional<Duration> acquisitionTimeout) {
    int asked = config.api().readConnections();
    int size = Math.min(Math.max(asked, 1), HARD_CAP);
    if (size != asked) {
      LOG.warnf("checkpointd.api.read-connections %d is outside [1, %d]; using %d", asked, HARD_CAP, size);
    }
    PoolOptions poolOptions = new PoolOptions()
        .setName("checkpointd-api-reads")
        .setMaxSize(size)
        // spread over the event loops, as Quarkus's own reactive pools are: all on one, each
        // read would cross to that loop and back
        .setEventLoopSize(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE)
        .setMaxWaitQueueSize(MAX_WAITING)
        .setConnectionTimeout((int) acquisitionTimeout.orElse(Duration.ofSeconds(5)).toMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    PgConnectOptions connect = connectOptions(jdbcUrl, user, password).addProperty("statement_timeout", Long.toString(timeout.millis()));
    // pipelined: a connection carries many reads at once, so a few serve many clients; a slow
    // read delays only those queued behind it on its connection, at most the statement timeout
    this.client = PgBuilder.client().with(poolOptions).connectingTo(connect).using(vertx).build();
  }

  SqlClient client() {
    return client;
  }

  @PreDestroy
  void close() {
    client.close();
  }

  /**
   * What pgjdbc would connect to for this URL: host (the first, if it lists several), port,
   * database, user, password and TLS as {@code sslmode}/{@code ssl} and {@code sslrootcert} ask.
   * Like pgjdbc, no {@code sslmode} means "prefer": TLS when the server offers it, unverified.
   */
  static PgConnectOptions connectOptions(String jdbcUrl, Optional<String> user, Optional<String> password) {
    // the datasource's credentials as defaults that the URL's override, as pgjdbc takes them
    Properties credentials = new Properties();
    user.ifPresent(u -> credentials.setProperty("user", u));
    password.ifPresent(p -> credentials.setProperty("password", p));
    Properties url = org.postgresql.Driver.parseURL(jdbcUrl, credentials);
    if (url == null) {
      throw new IllegalArgumentException("quarkus.datasource.jdbc.url is not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    PgConnectOptions options = new PgConnectOptions()
        .setHost(url.getProperty("PGHOST", "localhost").split(",")[0])
        .setPort(Integer.parseInt(url.getProperty("PGPORT", "5432").split(",")[0]))
        .setDatabase(url.getProperty("PGDBNAME", ""))
        .setUser(url.getProperty("user", ""))
        .setPassword(url.getProperty("password", ""))
        .setCachePreparedStatements(true) // parsed once per connection, as pgjdbc's do after five uses
        .addProperty("application_name", "checkpointd api reads");
    String mode = url.getProperty("sslmode", "true".equalsIgnoreCase(url.getProperty("ssl")) ? "verify-full" : "prefer");
    SslMode ssl = SslMode.of(mode);
    options.setSslMode(ssl);
    if (ssl == SslMode.VERIFY_CA || ssl == SslMode.VERIFY_FULL) {
      String root = url.getProperty("sslrootcert", System.getProperty("user.home") + "/.postgresql/root.crt");
      if (Files.isReadable(Path.of(root))) {
        options.setPemTrustOptions(new PemTrustOptions().addCertPath(root));
      }
      options.setHostnameVerificationAlgorithm(ssl == SslMode.VERIFY_FULL ? "HTTPS" : "");
    } else if (ssl != SslMode.DISABLE) {
      options.setTrustAll(true); // libpq's and pgjdbc's "prefer", "allow" and "require" do not verify
    }
    return options;
  }
}
