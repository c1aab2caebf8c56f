package io.checkpointd.engine.lease;

import io.checkpointd.model.Lease;
import io.checkpointd.model.RequestedStop;

/** Whoever runs a job in this process under a lease that the heartbeat renews. */
public interface LeaseHolder {

  Lease lease();

  /** How many iterations the job has done. */
  long iteration();

  /** Iterations per second, or null before there is a meaningful figure. */
  Double rate();

  /** A client asked for a pause or cancel: honour it at the next iteration boundary. */
  void stopRequested(RequestedStop stop);

  /** The lease is gone (another worker holds the job now): write nothing more. */
  void leaseLost();
}
