package io.checkpointd.event;

import io.checkpointd.model.JobEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The one stream of job events in this instance. Stored events arrive from every instance (after
 * their transaction committed, through the database's NOTIFY); checkpoints and progress of the
 * jobs running here are published by the engine as they commit. History, metrics and live views
 * subscribe here instead of hooking into the engine.
 *
 * <p>Subscribers run on the publishing thread and must be quick and never block: one that needs
 * time hands the event to its own queue.
 */
@ApplicationScoped
public class JobEventBus {

  private static final Logger LOG = Logger.getLogger(JobEventBus.class);

  private final List<Consumer<JobEvent>> subscribers = new CopyOnWriteArrayList<>();

  /** Registers {@code subscriber}; the returned handle unsubscribes it. */
  public AutoCloseable subscribe(Consumer<JobEvent> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  public void publish(JobEvent event) {
    for (Consumer<JobEvent> subscriber : subscribers) {
      try {
        subscriber.accept(event);
      } catch (RuntimeException e) {
        // one broken subscriber must not keep the event from the others, or fail the publisher
        LOG.warnf("A job event subscriber failed on %s of job %s: %s", event.type(), event.jobId(), e.getMessage());
      }
    }
  }
}
