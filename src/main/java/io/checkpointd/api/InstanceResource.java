package io.checkpointd.api;

import io.checkpointd.auth.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;

import io.checkpointd.config.InstanceId;
import io.checkpointd.job.JobService;
import io.checkpointd.persistence.ClusterStats;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Which workers hold running jobs now, for people watching the cluster (the dashboard). */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.WORKER, Roles.ADMIN})
@Path("/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {

  private final JobService service;
  private final InstanceId self;
  private final SecurityIdentity identity;

  InstanceResource(JobService service, InstanceId self, SecurityIdentity identity) {
    this.service = service;
    this.self = self;
    this.identity = identity;
  }

  /**
   * The instance answering, and every worker holding leases on RUNNING jobs. An instance that holds
   * none does not appear (nothing in the database says it is there); one whose leases are about to
   * expire without renewal has most likely died. The running jobs counted are the caller's tenant's
   * (an admin's: every tenant's).
   */
  @GET
  public InstancesView list() {
    List<InstancesView.Holder> holders = new ArrayList<>();
    for (ClusterStats.LeaseHolding h : service.leaseHolders(Callers.of(identity))) {
      holders.add(new InstancesView.Holder(h.owner(), h.owner().equals(self.value()), h.runningJobs(),
          seconds(Duration.between(h.now(), h.soonestExpiry())), seconds(Duration.between(h.now(), h.latestExpiry()))));
    }
    return new InstancesView(self.value(), holders);
  }

  private static double seconds(Duration d) {
    return Math.round(d.toMillis() / 100.0) / 10.0;
  }
}
