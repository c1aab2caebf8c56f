package io.checkpointd.engine;

import io.checkpointd.event.JobEventBus;
import io.checkpointd.persistence.EventChannel;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Brings the job events stored by every instance into this one's {@link JobEventBus}, through
 * one dedicated connection ({@link EventChannel}). Polling and the heartbeat still work when it is down; it only makes things fast: new
 * jobs start and stops arrive in milliseconds, and live views see other instances' changes.
 */
@ApplicationScoped
public class ClusterEvents {

  private static final Logger LOG = Logger.getLogger(ClusterEvents.class);

  private final String url;
  private final Optional<String> user;
  private final Optional<String> password;
  private final JobEventBus bus;
  private volatile Runnable onReconnect = () -> {};
  private volatile boolean running;
  private Thread thread;

  ClusterEvents(
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      JobEventBus bus) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.bus = bus;
  }

  /** Starts listening; {@code onReconnect} runs each time the connection is (re)established. */
  void start(Runnable onReconnect) {
    this.onReconnect = onReconnect;
    running = true;
    thread = new Thread(this::listen, "checkpointd-events");
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
      try (EventChannel channel = EventChannel.listen(url, user.orElse(null), password.orElse(null))) {
        // Events sent while we were not listening are lost to the stream (not to the history):
        // the caller catches up on what matters, such as jobs queued meanwhile.
        onReconnect.run();
        while (running) {
          channel.poll(1000).forEach(bus::publish);
        }
      } catch (SQLException | RuntimeException e) {
        if (running) {
          LOG.warnf("Job events from other instances unavailable (%s); retrying in 1 s, polling meanwhile", e.getMessage());
          sleepQuietly();
        }
      }
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
