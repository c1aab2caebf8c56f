package io.checkpointd.engine.lease;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The leases handed out to holders in this process, which the heartbeat renews. */
@ApplicationScoped
public class HeldLeases {

  private final Map<UUID, LeaseHolder> byJob = new ConcurrentHashMap<>();

  public void hold(LeaseHolder holder) {
    byJob.put(holder.lease().jobId(), holder);
  }

  /** Stops renewing {@code holder}'s lease (only if it is still the one held for its job). */
  public void drop(LeaseHolder holder) {
    byJob.remove(holder.lease().jobId(), holder);
  }

  public Optional<LeaseHolder> of(UUID jobId) {
    return Optional.ofNullable(byJob.get(jobId));
  }

  public Collection<LeaseHolder> all() {
    return byJob.values();
  }

  public int count() {
    return byJob.size();
  }
}
