package io.checkpointd.engine;

import io.checkpointd.persistence.JobSignal;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens for job signals from every instance on one dedicated connection (held for the life of
 * the instance, so it is not taken from the pool). Polling and the heartbeat still work when this
 * connection is down; it only makes things fast: new jobs start and stops arrive in milliseconds.
 */
@ApplicationScoped
public class JobSignalListener {

  private static final Logger LOG = Logger.getLogger(JobSignalListener.class);

  private final String url;
  private final Optional<String> user;
  private final Optional<String> password;
  private final JobExecutor executor;
  private final EngineThreads threads;
  private volatile boolean running;
  private Thread thread;

  JobSignalListener(
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      JobExecutor executor,
      EngineThreads threads) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.executor = executor;
    this.threads = threads;
  }

  void start() {
    running = true;
    thread = new Thread(this::listen, "checkpointd-signals");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void listen() {
    while (running) {
      try (Connection connection = DriverManager.getConnection(url, user.orElse(null), password.orElse(null))) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + JobSignal.CHANNEL);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        // Signals sent while we were not listening are lost; one claim round catches up on them.
        threads.loops().execute(new RunAndLogErrors("claim", executor::claimAvailable));
        while (running) {
          PGNotification[] notifications = pg.getNotifications(1000);
          if (notifications != null) {
            for (PGNotification n : notifications) {
              dispatch(n.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (running) {
          LOG.warnf("Job signals unavailable (%s); retrying in 1 s, polling meanwhile", e.getMessage());
          sleepQuietly();
        }
      }
    }
  }

  private void dispatch(String payload) {
    if (JobSignal.isQueued(payload)) {
      threads.loops().execute(new RunAndLogErrors("claim", executor::claimAvailable));
      return;
    }
    JobSignal.parseStop(payload).ifPresent(s -> executor.requested(s.jobId(), s.stop()));
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
