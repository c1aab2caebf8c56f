package io.checkpointd.engine.lease;

import io.checkpointd.model.Lease;
import io.checkpointd.model.RequestedStop;
import java.time.Instant;

/** Whoever runs a job in this process under a lease that the heartbeat renews. */
public interface LeaseHolder {

  Lease lease();

  /** How many iterations the job has done. */
  long iteration();

  /**
   * The iteration of the job's newest durable checkpoint (committed, not in flight), or where this
   * holder started from: a crash now would lose the iterations since.
   */
  default long durableIteration() {
    return iteration();
  }

  /** Since when the work after {@link #durableIteration} was done: a crash now would lose that time. */
  default Instant durableSince() {
    return Instant.now();
  }

  /** Iterations per second, or null before there is a meaningful figure. */
  Double rate();

  /** A client asked for a pause or cancel: honour it at the next iteration boundary. */
  void stopRequested(RequestedStop stop);

  /** The lease is gone (another worker holds the job now): write nothing more. */
  void leaseLost();
}
