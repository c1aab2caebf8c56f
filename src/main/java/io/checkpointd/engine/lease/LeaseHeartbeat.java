package io.checkpointd.engine.lease;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.event.JobEventBus;
import io.checkpointd.model.JobEvent;
import io.checkpointd.persistence.LeaseStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Renews every lease held in this process, in one statement per beat however many there are, and
 * records their progress on the way. A job missing from the renewed set was taken over (its owner
 * was presumed dead): its holder stops before writing anything else.
 */
@ApplicationScoped
public class LeaseHeartbeat {

  private final LeaseStore leases;
  private final HeldLeases held;
  private final JobEventBus events;
  private final CheckpointdConfig config;

  LeaseHeartbeat(LeaseStore leases, HeldLeases held, JobEventBus events, CheckpointdConfig config) {
    this.leases = leases;
    this.held = held;
    this.events = events;
    this.config = config;
  }

  public void beat() {
    List<LeaseHolder> holders = List.copyOf(held.all());
    List<LeaseStore.Progress> running =
        holders.stream().map(h -> new LeaseStore.Progress(h.lease(), h.iteration(), h.rate())).toList();
    List<LeaseStore.Renewal> renewals = leases.renew(config.lease().ttl(), running);
    Set<UUID> renewed = new HashSet<>();
    OffsetDateTime now = OffsetDateTime.now();
    for (LeaseStore.Renewal renewal : renewals) {
      renewed.add(renewal.jobId());
      held.of(renewal.jobId()).ifPresent(holder -> {
        // Commands on another instance reach this one's jobs through the beat too, should a signal be missed.
        if (renewal.requested() != null) {
          holder.stopRequested(renewal.requested());
        }
        events.publish(JobEvent.progress(renewal.jobId(), holder.iteration(), now));
      });
    }
    for (LeaseHolder holder : holders) {
      if (!renewed.contains(holder.lease().jobId())) {
        holder.leaseLost();
      }
    }
  }
}
