package io.checkpointd.engine;

import io.checkpointd.engine.lease.HeldLeases;
import io.checkpointd.engine.lease.LeaseHolder;
import io.checkpointd.event.JobEventBus;
import io.checkpointd.event.ProgressSeen;
import io.checkpointd.model.JobEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Publishes the progress of the jobs running here between heartbeats, from memory, so that live
 * views see a job move a few times a second while the database hears of it only at each beat (every
 * 3 s by default). Only jobs that moved since the last pulse: a slow or idle job costs nothing.
 */
@ApplicationScoped
public class ProgressPulse {

  /** As often as a job's own live stream sends progress. */
  static final Duration INTERVAL = Duration.ofMillis(250);

  private final HeldLeases held;
  private final JobEventBus events;
  private final Clock clock;
  /** Guarded by this; the loop never runs two pulses at once anyway. */
  private final ProgressSeen published = new ProgressSeen();

  ProgressPulse(HeldLeases held, JobEventBus events, Clock clock) {
    this.held = held;
    this.events = events;
    this.clock = clock;
  }

  synchronized void pulse() {
    OffsetDateTime now = OffsetDateTime.now(clock);
    Set<UUID> running = new HashSet<>();
    for (LeaseHolder holder : held.all()) {
      UUID job = holder.lease().jobId();
      running.add(job);
      long iteration = holder.iteration();
      if (published.moved(job, iteration)) {
        events.publish(JobEvent.progress(job, iteration, now));
      }
    }
    published.keepOnly(running);
  }
}
