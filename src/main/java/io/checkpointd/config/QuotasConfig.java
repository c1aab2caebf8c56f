package io.checkpointd.config;

import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** {@code checkpointd.quotas.*}, read through {@link CheckpointdConfig#quotas()}. */
public interface QuotasConfig {

  /** Hard cap of the count quotas (active jobs, creations per minute). */
  int MAX = 10_000_000;

  /** Hard cap of the stored-bytes quota: 1 PiB. */
  long MAX_STORED_BYTES = 1L << 50;

  /** Most QUEUED and RUNNING jobs a tenant may have; a creation beyond is a 429 problem. */
  @WithDefault("100000")
  int activeJobs();

  /** Most jobs a tenant may create (or fork) per minute on one instance; beyond, a 429 with Retry-After. */
  @WithDefault("60000")
  int creationsPerMinute();

  /**
   * Largest checkpoint state (bytes stored, after compression) a tenant's job may save; unset:
   * {@code checkpointd.checkpoints.max-bytes}, which also caps it.
   */
  Optional<Long> stateBytes();

  /**
   * Most bytes of checkpoints a tenant may store (all its jobs' retained, set-aside and milestone
   * checkpoints); while it stores more, its creations and forks are a 429. Hard cap 1 PiB.
   */
  @WithDefault("107374182400")
  long storedBytes();

  /** Per tenant, by name: {@code checkpointd.quotas.tenants.acme.active-jobs=50}. */
  Map<String, Tenant> tenants();

  interface Tenant {
    Optional<Integer> activeJobs();

    Optional<Integer> creationsPerMinute();

    Optional<Long> stateBytes();

    Optional<Long> storedBytes();
  }

  /** The tenant's active-jobs quota, within the hard cap. */
  default int activeJobs(String tenant) {
    return capped(Optional.ofNullable(tenants().get(tenant)).flatMap(Tenant::activeJobs).orElse(activeJobs()));
  }

  /** The tenant's creations-per-minute quota, within the hard cap. */
  default int creationsPerMinute(String tenant) {
    return capped(Optional.ofNullable(tenants().get(tenant)).flatMap(Tenant::creationsPerMinute).orElse(creationsPerMinute()));
  }

  /** The tenant's state-bytes quota, at most {@code cap} (the global checkpoint cap). */
  default long stateBytes(String tenant, long cap) {
    Optional<Long> own = Optional.ofNullable(tenants().get(tenant)).flatMap(Tenant::stateBytes);
    return Math.min(Math.max(1, own.or(this::stateBytes).orElse(cap)), cap);
  }

  /** The smallest state-bytes quota of any tenant: a state within it is within every tenant's. */
  default long smallestStateBytes(long cap) {
    long smallest = Math.min(Math.max(1, stateBytes().orElse(cap)), cap);
    for (String tenant : tenants().keySet()) {
      smallest = Math.min(smallest, stateBytes(tenant, cap));
    }
    return smallest;
  }

  /** The tenant's stored-bytes quota, within the hard cap. */
  default long storedBytes(String tenant) {
    long value = Optional.ofNullable(tenants().get(tenant)).flatMap(Tenant::storedBytes).orElse(storedBytes());
    return Math.min(Math.max(1, value), MAX_STORED_BYTES);
  }

  private static int capped(int value) {
    return Math.min(Math.max(1, value), MAX);
  }
}
