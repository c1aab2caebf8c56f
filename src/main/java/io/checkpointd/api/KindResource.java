package io.checkpointd.api;

import io.checkpointd.auth.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;

import io.checkpointd.job.CompatibilityDryRun;
import io.checkpointd.job.CompatibilityReport;
import io.checkpointd.kind.ExternalKinds;
import io.checkpointd.kind.JobKinds;
import io.checkpointd.model.Caller;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
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
  private final SecurityIdentity identity;

  KindResource(JobKinds kinds, CompatibilityDryRun dryRun, SecurityIdentity identity) {
    this.kinds = kinds;
    this.dryRun = dryRun;
    this.identity = identity;
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

  /**
   * The built-in kinds and the caller's tenant's external kinds (an admin: every tenant's). With
   * {@code creatable}, only what the caller may create jobs of: a job is created in the caller's
   * own tenant, so an admin is then given its own tenant's kinds, not every tenant's.
   */
  @GET
  public List<KindView> list(@QueryParam("creatable") boolean creatable) {
    Caller caller = Callers.of(identity);
    return kinds.describeAll(creatable ? caller.tenant() : caller.tenantFilter()).stream().map(KindView::of).toList();
  }

  /** A kind the caller's tenant may use; another tenant's kind is not found, as an unknown one. */
  @GET
  @Path("/{name}")
  public KindView get(@PathParam("name") String name) {
    return kinds.describe(Callers.of(identity).tenant(), name).map(KindView::of).orElseThrow(() -> new KindNotFoundException(name));
  }

  /**
   * Declares a kind that external workers of the caller's tenant run: 201 when new, 200 when the
   * same declaration was already there (or it changed while none of the tenant's jobs of it was
   * unfinished).
   */
  @RolesAllowed({Roles.WORKER, Roles.OPERATOR, Roles.ADMIN})
  @PUT
  @Path("/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response declare(
      @PathParam("name") String name, @NotNull(message = "a JSON body is required") WorkerRequests.DeclareKind body) {
    String tenant = Callers.of(identity).tenant();
    boolean created = kinds.declare(tenant, name,
        new ExternalKinds.Declaration(body.description(), body.parameters(), body.stateVersion(), body.totalParam()));
    KindView view = KindView.of(kinds.describe(tenant, name).orElseThrow());
    return Response.status(created ? 201 : 200).entity(view).build();
  }

  /** No kind of that name for the caller's tenant. */
  static final class KindNotFoundException extends RuntimeException {
    KindNotFoundException(String name) {
      super("no kind '" + name + "'; GET /kinds lists the kinds you may use");
    }
  }
}
