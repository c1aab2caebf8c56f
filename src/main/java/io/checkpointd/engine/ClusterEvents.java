package io.checkpointd.engine;

import io.checkpointd.event.JobEventBus;
import io.checkpointd.persistence.EventStore;
import io.checkpointd.persistence.Notifications;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Brings the job events stored by every instance into this one's {@link JobEventBus}, through
 * {@link Notifications}. Polling and the heartbeat still work when it is down; it only makes things
 * fast: new jobs start and stops arrive in milliseconds, and live views see other instances' changes.
 */
@ApplicationScoped
public class ClusterEvents {

  private static final Logger LOG = Logger.getLogger(ClusterEvents.class);

  private final Notifications notifications;
  private final JobEventBus bus;
  private Notifications.Listening listening;

  ClusterEvents(Notifications notifications, JobEventBus bus) {
    this.notifications = notifications;
    this.bus = bus;
  }

  /** Starts listening; {@code onReconnect} runs each time the connection is (re)established. */
  void start(Runnable onReconnect) {
    listening = notifications.listen("checkpointd-events", Notifications.EVENTS, new Notifications.Handler() {
      @Override
      public void connected() {
        // Events sent while we were not listening are lost to the stream (not to the history):
        // the caller catches up on what matters, such as jobs queued meanwhile.
        onReconnect.run();
      }

      @Override
      public void received(List<String> payloads) {
        payloads.forEach(p -> EventStore.parse(p).ifPresent(bus::publish));
      }

      @Override
      public void lost(Throwable cause) {
        LOG.warnf("Job events from other instances unavailable (%s); retrying in 1 s, polling meanwhile", cause.getMessage());
      }
    });
  }

  void stop() {
    if (listening != null) {
      listening.stop();
    }
  }
}
