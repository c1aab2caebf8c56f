package io.checkpointd.auth;

import io.checkpointd.persistence.Notifications;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Hears every instance's key revocations, so a revoked key stops working everywhere at once. Keys
 * are remembered only while it listens: a revocation missed while the channel was down cannot
 * leave a revoked key working.
 */
@ApplicationScoped
class KeyRevocations {

  private static final Logger LOG = Logger.getLogger(KeyRevocations.class);

  private final Notifications notifications;
  private final ApiKeys keys;
  private Notifications.Listening listening;

  KeyRevocations(Notifications notifications, ApiKeys keys) {
    this.notifications = notifications;
    this.keys = keys;
  }

  void start() {
    listening = notifications.listen("checkpointd-key-revocations", Notifications.KEY_REVOCATIONS, new Notifications.Handler() {
      @Override
      public void connected() {
        keys.remember(true);
      }

      @Override
      public void received(List<String> keyHashes) {
        keyHashes.forEach(keys::forget);
      }

      @Override
      public void lost(Throwable cause) {
        // whatever it was, stop trusting memory: every key is looked up until the channel is back
        keys.remember(false);
        LOG.warnf("Key revocations from other instances unavailable (%s); looking every key up meanwhile", cause.toString());
      }
    });
  }

  void stop(@Observes ShutdownEvent shutdown) {
    if (listening != null) {
      listening.stop();
    }
  }
}
