package io.checkpointd.api;

import io.checkpointd.auth.Roles;
import jakarta.annotation.security.RolesAllowed;

import io.checkpointd.job.CompatibilityDryRun;
import io.checkpointd.job.CompatibilityReport;
import io.checkpointd.kind.ExternalKinds;
import io.checkpointd.kind.JobKinds;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.WORKER, Roles.ADMIN})
@Path("/kinds")
@Produces(MediaType.APPLICATION_JSON)
public class KindResource {

  private final JobKinds kinds;
  private final CompatibilityDryRun dryRun;

  KindResource(JobKinds kinds, CompatibilityDryRun dryRun) {
    this.kinds = kinds;
    this.dryRun = dryRun;
  }

  /**
   * A dry run before finishing a deploy: loads every stored checkpoint of the kind with the running
   * code and counts what loads as is, what needs an upgrade step and what fails, with why. Admins
   * only: it reads every tenant's checkpoints of the kind and names the jobs that fail.
   */
  @RolesAllowed(Roles.ADMIN)
  @GET
  @Path("/{name}/compatibility")
  public CompatibilityReport compatibility(@PathParam("name") String name) {
    return dryRun.run(name);
  }

  @GET
  public List<KindView> list() {
    return kinds.describeAll().stream().map(KindView::of).toList();
  }

  /**
   * Declares a kind that external workers run: 201 when new, 200 when the same declaration was
   * already there (or it changed while no job of it was unfinished).
   */
  @RolesAllowed({Roles.WORKER, Roles.OPERATOR, Roles.ADMIN})
  @PUT
  @Path("/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response declare(
      @PathParam("name") String name, @NotNull(message = "a JSON body is required") WorkerRequests.DeclareKind body) {
    boolean created = kinds.describe(name).isEmpty();
    kinds.declare(name, new ExternalKinds.Declaration(body.description(), body.parameters(), body.stateVersion(), body.totalParam()));
    KindView view = KindView.of(kinds.describe(name).orElseThrow());
    return Response.status(created ? 201 : 200).entity(view).build();
  }
}
