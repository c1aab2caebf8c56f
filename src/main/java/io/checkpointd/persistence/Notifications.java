package io.checkpointd.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What other instances signal through PostgreSQL ({@code NOTIFY}), each channel heard on a
 * dedicated connection and thread of its own. A lost connection is opened again a second later;
 * nothing a handler throws, not even an {@code Error}, ends the listening.
 */
@ApplicationScoped
public class Notifications {

  private static final Logger LOG = Logger.getLogger(Notifications.class);

  private final String url;
  private final Optional<String> user;
  private final Optional<String> password;

  Notifications(
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Job events stored by any instance ({@link EventStore#CHANNEL}). */
  public static final String EVENTS = EventStore.CHANNEL;

  /** Hashes of API keys revoked on any instance ({@link ApiKeyStore#CHANNEL}). */
  public static final String KEY_REVOCATIONS = ApiKeyStore.CHANNEL;

  /** What a listener does with its channel. */
  public interface Handler {
    /** The connection is (re)established: what was signalled while it was down is lost. */
    void connected();

    void received(List<String> payloads);

    /** The connection is lost, or a handler failed; listening resumes a second later. */
    void lost(Throwable cause);
  }

  /** Listening on one channel until {@link #stop}. */
  public final class Listening {
    private final Thread thread;
    private volatile boolean running = true;

    private Listening(String threadName, String channel, Handler handler) {
      thread = new Thread(() -> loop(channel, handler), threadName);
      thread.setDaemon(true);
      thread.start();
    }

    public void stop() {
      running = false;
      thread.interrupt();
    }

    private void loop(String channel, Handler handler) {
      while (running) {
        try (ListenConnection connection = ListenConnection.open(url, user.orElse(null), password.orElse(null), channel)) {
          handler.connected();
          while (running) {
            List<String> payloads = connection.poll(1000);
            if (!payloads.isEmpty()) {
              handler.received(payloads);
            }
          }
        } catch (Exception | Error e) {
          if (running) {
            try {
              handler.lost(e);
            } catch (RuntimeException | Error alsoFailed) {
              LOG.warnf("Listening on %s: %s", channel, alsoFailed);
            }
            pause();
          }
        }
      }
    }

    private void pause() {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts listening on {@code channel} ({@link #EVENTS}, {@link #KEY_REVOCATIONS}) on a thread named {@code threadName}. */
  public Listening listen(String threadName, String channel, Handler handler) {
    return new Listening(threadName, channel, handler);
  }
}
