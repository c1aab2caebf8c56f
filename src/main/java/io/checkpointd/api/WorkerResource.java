package io.checkpointd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.engine.external.Assignment;
import io.checkpointd.engine.external.ExternalWorkers;
import io.checkpointd.job.JobService;
import io.checkpointd.model.CheckpointBytes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The worker protocol over HTTP: any program that can send JSON can run jobs of the kinds it
 * declared. Claim (long-poll), then heartbeat and checkpoint under the lease, then succeed, fail
 * or release.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WorkerResource {

  private static final String BODY = "a JSON body is required";

  private final ExternalWorkers workers;
  private final JobService jobs;
  private final ObjectMapper mapper;

  WorkerResource(ExternalWorkers workers, JobService jobs, ObjectMapper mapper) {
    this.workers = workers;
    this.jobs = jobs;
    this.mapper = mapper;
  }

  /** Leases one job of the given kinds, waiting up to {@code waitSeconds}; 204 when none came. */
  @POST
  @Path("workers/claim")
  public Response claim(@NotNull(message = BODY) @Valid WorkerRequests.Claim request) throws InterruptedException {
    Duration wait = seconds(request.waitSeconds(), Duration.ofSeconds(20));
    Duration ttl = seconds(request.leaseTtlSeconds(), workers.defaultTtl());
    Optional<Assignment> claimed = workers.claim(request.worker(), request.kinds(), wait, ttl);
    if (claimed.isEmpty()) {
      return Response.noContent().build();
    }
    Assignment a = claimed.get();
    return Response.ok(WorkerViews.ClaimView.of(a, a.checkpoint().map(this::state).orElse(null))).build();
  }

  @POST
  @Path("jobs/{id}/heartbeat")
  public WorkerViews.AckView heartbeat(@PathParam("id") String id, @NotNull(message = BODY) @Valid WorkerRequests.Heartbeat body) {
    return WorkerViews.AckView.of(workers.heartbeat(job(id), body.lease(), body.iteration(), body.total()));
  }

  /** Saves a checkpoint; 201 once it is durable (200 for a resend of one already stored). */
  @POST
  @Path("jobs/{id}/checkpoints")
  public Response checkpoint(@PathParam("id") String id, @NotNull(message = BODY) @Valid WorkerRequests.Checkpoint body) {
    var ack = workers.checkpoint(job(id), body.lease(), body.seq(), body.iteration(), body.total(), body.state(), body.stateVersion());
    return Response.status(ack.resent() ? 200 : 201).entity(WorkerViews.AckView.of(ack)).build();
  }

  @POST
  @Path("jobs/{id}/succeed")
  public JobView succeed(@PathParam("id") String id, @NotNull(message = BODY) @Valid WorkerRequests.Succeed body) {
    workers.succeed(job(id), body.lease(), body.iteration(), body.result());
    return JobView.of(jobs.get(id));
  }

  @POST
  @Path("jobs/{id}/fail")
  public JobView fail(@PathParam("id") String id, @NotNull(message = BODY) @Valid WorkerRequests.Fail body) {
    workers.fail(job(id), body.lease(), body.error(), body.retryable() == null || body.retryable());
    return JobView.of(jobs.get(id));
  }

  @POST
  @Path("jobs/{id}/release")
  public JobView release(@PathParam("id") String id, @NotNull(message = BODY) @Valid WorkerRequests.Release body) {
    workers.release(job(id), body.lease(), body.iteration(), body.seq(), body.state(), body.stateVersion());
    return JobView.of(jobs.get(id));
  }

  private JsonNode state(io.checkpointd.model.StoredCheckpoint c) {
    try {
      return mapper.readTree(CheckpointBytes.json(c));
    } catch (IOException e) {
      throw new IllegalStateException("checkpoint " + c.seq() + " passed its checksum but is not JSON", e);
    }
  }

  /** The job's id; one that is no job's is a 404, as everywhere. */
  private UUID job(String id) {
    return jobs.get(id).id();
  }

  private static Duration seconds(Double value, Duration otherwise) {
    return value == null ? otherwise : Duration.ofMillis(Math.round(value * 1000));
  }
}
