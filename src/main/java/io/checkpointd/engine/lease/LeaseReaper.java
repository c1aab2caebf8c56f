package io.checkpointd.engine.lease;

import io.checkpointd.persistence.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Queues again the jobs whose owner stopped heartbeating. Every instance runs it; the conditional
 * update makes concurrent reapers harmless. Expiry is judged by the database's clock.
 */
@ApplicationScoped
public class LeaseReaper {

  private static final Logger LOG = Logger.getLogger(LeaseReaper.class);

  private final JobRepository jobs;

  LeaseReaper(JobRepository jobs) {
    this.jobs = jobs;
  }

  /** @return how many jobs were queued again */
  public int reap() {
    int requeued = jobs.requeueExpired();
    if (requeued > 0) {
      LOG.infof("Queued again %d jobs whose owner stopped renewing their lease", requeued);
    }
    return requeued;
  }
}
