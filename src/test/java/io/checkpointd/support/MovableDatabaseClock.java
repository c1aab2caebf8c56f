package io.checkpointd.support;

import io.checkpointd.persistence.DatabaseClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;

/** Lease time that tests move forward instead of sleeping (db-scheduler's SettableClock). */
@Alternative
@Priority(1)
@ApplicationScoped
public class MovableDatabaseClock extends DatabaseClock {

  private volatile long offsetMillis;

  public void advance(Duration by) {
    offsetMillis += by.toMillis();
  }

  public void reset() {
    offsetMillis = 0;
  }

  @Override
  protected long offsetMillis() {
    return offsetMillis;
  }
}
