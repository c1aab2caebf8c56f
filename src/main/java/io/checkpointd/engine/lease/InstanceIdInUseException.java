package io.checkpointd.engine.lease;

import java.time.Duration;

/** Another live process runs under this instance's id: two must never, or each would take the other's jobs. */
public class InstanceIdInUseException extends IllegalStateException {

  public InstanceIdInUseException(String instanceId, Duration waited) {
    super("Instance id '" + instanceId + "' is in use by another running checkpointd process (its database session"
        + " holds the id's liveness lock, still after " + waited.toSeconds() + " s). Give this process its own"
        + " id (checkpointd.instance-id, env CHECKPOINTD_INSTANCE_ID) or stop the other one.");
  }
}
