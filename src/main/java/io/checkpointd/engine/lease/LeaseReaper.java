package io.checkpointd.engine.lease;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.persistence.RecoveryStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Queues again the jobs whose owner stopped heartbeating. Every instance runs it; the conditional
 * update makes concurrent reapers harmless. Expiry is judged by the database's clock.
 */
@ApplicationScoped
public class LeaseReaper {

  private static final Logger LOG = Logger.getLogger(LeaseReaper.class);

  private final RecoveryStore recovery;
  private final CheckpointdConfig config;

  LeaseReaper(RecoveryStore recovery, CheckpointdConfig config) {
    this.recovery = recovery;
    this.config = config;
  }

  /** @return how many jobs were queued again */
  public int reap() {
    int requeued = recovery.requeueExpired(config.lease().maxRecoveriesWithoutProgress());
    if (requeued > 0) {
      LOG.infof("Queued again %d jobs whose owner stopped renewing their lease", requeued);
    }
    return requeued;
  }
}
