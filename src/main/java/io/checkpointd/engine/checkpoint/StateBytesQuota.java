package io.checkpointd.engine.checkpoint;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.config.QuotasConfig;
import io.checkpointd.model.CheckpointTooLargeException;
import io.checkpointd.model.CheckpointWrite;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A tenant's state-bytes quota: the largest checkpoint its jobs may save, never above the global
 * cap ({@link CheckpointCodec} enforces that one). Why the smallest quota of all tenants is kept:
 * a state within it is within every tenant's, so the common checkpoint costs one comparison, and
 * an HTTP worker's checkpoint needs its job's tenant only when it is larger.
 */
@ApplicationScoped
public class StateBytesQuota {

  private final QuotasConfig quotas;
  private final long cap;
  private final long smallest;

  public StateBytesQuota(CheckpointdConfig config) {
    this.quotas = config.quotas();
    this.cap = config.checkpoints().maxBytes();
    this.smallest = quotas.smallestStateBytes(cap);
  }

  /** Whether {@code write} is within every tenant's quota, whoever's job it is. */
  public boolean withinEvery(CheckpointWrite write) {
    return write.state().length <= smallest;
  }

  /** {@code write}, if within the tenant's quota. */
  public CheckpointWrite check(String tenant, CheckpointWrite write) {
    if (withinEvery(write)) {
      return write;
    }
    long limit = quotas.stateBytes(tenant, cap);
    if (write.state().length > limit) {
      throw CheckpointTooLargeException.overQuota(write.state().length, tenant, limit);
    }
    return write;
  }
}
