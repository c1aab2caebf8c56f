package io.checkpointd.api;

import io.checkpointd.auth.Roles;
import io.checkpointd.model.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;

import io.checkpointd.engine.external.ExternalWorkers;
import io.checkpointd.job.JobService;
import io.checkpointd.model.LeaseLostException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.checkpointd.engine.external.Ack;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * The worker protocol over HTTP, under a lease: heartbeat and checkpoint, then succeed, fail or
 * release. Any program that can send JSON can be a worker ({@link ClaimResource} hands out jobs).
 * Why on {@code /jobs} like {@link JobResource}: the calls are about one job, beside its other
 * resources.
 */
@RolesAllowed({Roles.WORKER, Roles.ADMIN})
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class JobLeaseResource {

  private static final String BODY = "a JSON body is required";

  private final ExternalWorkers workers;
  private final JobService jobs;
  private final SecurityIdentity identity;
  private final ManagedExecutor blocking;

  JobLeaseResource(ExternalWorkers workers, JobService jobs, SecurityIdentity identity, ManagedExecutor blocking) {
    this.workers = workers;
    this.jobs = jobs;
    this.identity = identity;
    this.blocking = blocking;
  }

  @POST
  @Path("/{id}/heartbeat")
  public WorkerViews.AckView heartbeat(@PathParam("id") String id, @NotNull(message = BODY) @Valid WorkerRequests.Heartbeat body) {
    return WorkerViews.AckView.of(underLease(id, job -> workers.heartbeat(job, body.lease(), body.iteration(), body.total())));
  }

  /**
   * Saves a checkpoint; 201 once it is durable (200 for a resend of one already stored). Runs on
   * the I/O thread and answers when the group commit completes ({@link
   * ExternalWorkers#checkpointWithoutWaiting}); whatever needs the database before the write (a
   * tenant's worker, whose job is read first; no seq; a total) runs on a worker thread, as the
   * other calls do.
   */
  @POST
  @Path("/{id}/checkpoints")
  public CompletionStage<Response> checkpoint(@PathParam("id") String id, @NotNull(message = BODY) @Valid WorkerRequests.Checkpoint body) {
    Caller caller = Callers.of(identity);
    Optional<CompletableFuture<Ack>> queued = caller.allTenants()
        ? workers.checkpointWithoutWaiting(jobs.idOf(id), body.lease(), body.seq(), body.iteration(), body.total(),
            body.state(), body.stateVersion(), blocking)
        : Optional.empty();
    CompletableFuture<Ack> ack = queued
        .map(written -> written.exceptionallyCompose(failure -> notFoundOr(caller, id, failure)))
        .orElseGet(() -> CompletableFuture.supplyAsync(() -> checkpointWaiting(caller, id, body), blocking));
    return ack.thenApply(a -> Response.status(a.resent() ? 200 : 201).entity(WorkerViews.AckView.of(a)).build());
  }

  /** A lost lease of a job that is not there is a 404, as in {@link #underLease}; read off the I/O thread. */
  private CompletableFuture<Ack> notFoundOr(Caller caller, String id, Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
    if (!(cause instanceof LeaseLostException)) {
      return CompletableFuture.failedFuture(cause);
    }
    return CompletableFuture.supplyAsync(() -> {
      jobs.get(caller, id);
      throw (LeaseLostException) cause;
    }, blocking);
  }

  private Ack checkpointWaiting(Caller caller, String id, WorkerRequests.Checkpoint body) {
    return underLease(caller, id, job ->
        workers.checkpoint(job, body.lease(), body.seq(), body.iteration(), body.total(), body.state(), body.stateVersion()));
  }

  @POST
  @Path("/{id}/succeed")
  public JobView succeed(@PathParam("id") String id, @NotNull(message = BODY) @Valid WorkerRequests.Succeed body) {
    workers.succeed(job(id), body.lease(), body.iteration(), body.result());
    return JobView.of(jobs.get(Callers.of(identity), id));
  }

  @POST
  @Path("/{id}/fail")
  public JobView fail(@PathParam("id") String id, @NotNull(message = BODY) @Valid WorkerRequests.Fail body) {
    workers.fail(job(id), body.lease(), body.error(), body.retryable() == null || body.retryable());
    return JobView.of(jobs.get(Callers.of(identity), id));
  }

  @POST
  @Path("/{id}/release")
  public JobView release(@PathParam("id") String id, @NotNull(message = BODY) @Valid WorkerRequests.Release body) {
    workers.release(job(id), body.lease(), body.iteration(), body.seq(), body.state(), body.stateVersion());
    return JobView.of(jobs.get(Callers.of(identity), id));
  }

  /**
   * A call under the lease of job {@code id}. Why the job is not read first: heartbeats and
   * checkpoints are the protocol's hot path, and the fenced write already knows when the job is
   * not held. Only then is it looked up, so that a job that does not exist is a 404, as everywhere.
   */
  private <T> T underLease(String id, java.util.function.Function<UUID, T> call) {
    return underLease(Callers.of(identity), id, call);
  }

  private <T> T underLease(Caller caller, String id, java.util.function.Function<UUID, T> call) {
    // a tenant's worker may only touch its tenant's jobs: for it the job is read first (a 404 for
    // another tenant's), for a worker that sees every tenant the fenced write alone decides
    UUID job = caller.allTenants() ? jobs.idOf(id) : jobs.get(caller, id).id();
    try {
      return call.apply(job);
    } catch (LeaseLostException e) {
      jobs.get(caller, id);
      throw e;
    }
  }

  /** The job's id; one that is no job's (or another tenant's) is a 404, as everywhere. */
  private UUID job(String id) {
    return jobs.get(Callers.of(identity), id).id();
  }

}
