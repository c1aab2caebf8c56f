package io.checkpointd.api;

import java.util.List;

/**
 * @param self the instance that answered
 * @param holders workers holding leases on running jobs
 */
public record InstancesView(String self, List<Holder> holders) {

  /**
   * @param runningJobs the running jobs it holds of the caller's tenant (an admin's: of every tenant)
   * @param soonestLeaseExpirySeconds seconds until the first of its leases expires unless renewed
   *     (negative: expired, it is presumed dead and its jobs are about to be taken over)
   */
  public record Holder(
      String instance, boolean self, long runningJobs, double soonestLeaseExpirySeconds, double latestLeaseExpirySeconds) {}
}
