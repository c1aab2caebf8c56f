package io.checkpointd.engine.lease;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.config.InstanceId;
import io.checkpointd.engine.JobExecutor;
import io.checkpointd.persistence.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

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
    Set<java.util.UUID> renewed = jobs.heartbeat(instance.value(), config.lease().ttl(), running);
    for (JobRepository.Progress p : running) {
      if (!renewed.contains(p.lease().jobId())) {
        executor.leaseLost(p.lease().jobId());
      }
    }
  }
}
