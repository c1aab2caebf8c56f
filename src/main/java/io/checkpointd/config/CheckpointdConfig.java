package io.checkpointd.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything an operator can tune, under {@code checkpointd.*} (env {@code CHECKPOINTD_*}). Each
 * group of properties is an interface of its own, named after its prefix ({@code
 * checkpointd.checkpoints.*} in {@link CheckpointsConfig}), so that this one stays a table of
 * contents.
 */
@ConfigMapping(prefix = "checkpointd")
public interface CheckpointdConfig {

  /** This instance's identity in job leases; defaults to the host name. */
  Optional<String> instanceId();

  /** How many jobs this instance runs at once; the rest wait as QUEUED. */
  @WithDefault("8")
  int workers();

  /** Threads that execute job steps; jobs waiting between steps hold none. */
  @WithDefault("2")
  int stepThreads();

  /** How often an idle executor looks for queued jobs it has not been told about. */
  @WithDefault("1s")
  Duration pollInterval();

  /** How long graceful shutdown waits for running jobs to checkpoint and release their leases. */
  @WithDefault("20s")
  Duration shutdownGrace();

  /** Largest request body accepted, in bytes; larger ones get a 413 problem. */
  @WithDefault("1048576")
  long maxBodyBytes();

  EngineConfig engine();

  ApiConfig api();

  JobsConfig jobs();

  LeaseConfig lease();

  RetryConfig retry();

  CheckpointsConfig checkpoints();

  ExternalWorkersConfig externalWorkers();

  KindsConfig kinds();

  RetentionConfig retention();

  /** Who may call the API (see the README's Security section). */
  AuthConfig auth();

  /** What one tenant may use: defaults, and overrides per tenant. */
  QuotasConfig quotas();

  LivenessConfig liveness();

  StreamsConfig streams();
}
