package io.checkpointd.engine.external;

import io.checkpointd.event.JobEventBus;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Wakes workers waiting in a long-poll claim when a job may have been queued anywhere in the
 * cluster (a stored event, delivered by NOTIFY after its commit).
 */
@ApplicationScoped
public class QueueSignal {

  private final JobEventBus bus;
  private long version;

  QueueSignal(JobEventBus bus) {
    this.bus = bus;
  }

  @PostConstruct
  void subscribe() {
    bus.subscribe(event -> {
      if (event.type().mayQueue()) {
        signal();
      }
    });
  }

  synchronized void signal() {
    version++;
    notifyAll();
  }

  synchronized long version() {
    return version;
  }

  /** Waits until a signal after {@code seen}, or {@code millis}; false if none came. */
  synchronized boolean awaitAfter(long seen, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (version == seen) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
