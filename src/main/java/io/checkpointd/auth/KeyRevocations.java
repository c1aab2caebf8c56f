package io.checkpointd.auth;

import io.checkpointd.persistence.KeyRevocationChannel;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Hears every instance's key revocations, so a revoked key stops working everywhere at once. Keys
 * are remembered only while it listens: a revocation missed while the channel was down cannot
 * leave a revoked key working.
 */
@ApplicationScoped
class KeyRevocations {

  private static final Logger LOG = Logger.getLogger(KeyRevocations.class);

  private final String url;
  private final Optional<String> user;
  private final Optional<String> password;
  private final ApiKeys keys;
  private volatile boolean running;
  private Thread thread;

  KeyRevocations(
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      ApiKeys keys) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.keys = keys;
  }

  void start() {
    running = true;
    thread = new Thread(this::listen, "checkpointd-key-revocations");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent shutdown) {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void listen() {
    while (running) {
      try (KeyRevocationChannel channel = KeyRevocationChannel.listen(url, user.orElse(null), password.orElse(null))) {
        keys.remember(true);
        while (running) {
          channel.poll(1000).forEach(keys::forget);
        }
      } catch (Exception | Error e) {
        // whatever it was, stop trusting memory: every key is looked up until the channel is back
        keys.remember(false);
        if (running) {
          LOG.warnf("Key revocations from other instances unavailable (%s); looking every key up meanwhile", e.toString());
          pause();
        }
      }
    }
    keys.remember(false);
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
