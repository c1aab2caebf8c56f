package io.checkpointd.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code checkpointd.lease.*}, read through {@link CheckpointdConfig#lease()}. */
public interface LeaseConfig {
  /** How often this instance renews the leases of all the jobs it runs (one statement per beat). */
  @WithDefault("3s")
  Duration heartbeatInterval();

  /** How long a lease lasts without renewal; after that another instance may take the job. */
  @WithDefault("12s")
  Duration ttl();

  /**
   * How often this instance looks for expired leases: a frozen or partitioned owner's jobs move
   * within this long after their TTL. One indexed query on the running jobs.
   */
  @WithDefault("1s")
  Duration reapInterval();

  /**
   * Recoveries in a row without a new checkpoint after which a job is FAILED rather than
   * requeued: a job that keeps killing its owners must not crash-loop the cluster.
   */
  @WithDefault("5")
  int maxRecoveriesWithoutProgress();
}
