package io.checkpointd.engine.lease;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.config.InstanceId;
import io.checkpointd.engine.JobExecutor;
import io.checkpointd.persistence.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Renews the leases of every job this instance runs, in one statement per beat however many there
 * are, and records their progress on the way. A job missing from the renewed set was taken over
 * (its owner was presumed dead): its runner stops before writing anything else.
 */
@ApplicationScoped
public class LeaseHeartbeat {

  private final JobRepository jobs;
  private final JobExecutor executor;
  private final InstanceId instance;
  private final CheckpointdConfig config;

  LeaseHeartbeat(JobRepository jobs, JobExecutor executor, InstanceId instance, CheckpointdConfig config) {
    this.jobs = jobs;
    this.executor = executor;
    this.instance = instance;
    this.config = config;
  }

  public void beat() {
    List<JobRepository.Progress> running = executor.progress();
    List<JobRepository.Renewal> renewals = jobs.heartbeat(instance.value(), config.lease().ttl(), running);
    Set<UUID> renewed = new HashSet<>();
    for (JobRepository.Renewal renewal : renewals) {
      renewed.add(renewal.jobId());
      // Commands on another instance reach this one's jobs through the beat.
      if (renewal.requested() != null) {
        executor.requested(renewal.jobId(), renewal.requested());
      }
    }
    for (JobRepository.Progress p : running) {
      if (!renewed.contains(p.lease().jobId())) {
        executor.leaseLost(p.lease().jobId());
      }
    }
  }
}
