package io.checkpointd.api;

import io.checkpointd.auth.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.engine.external.Assignment;
import io.checkpointd.engine.external.ExternalWorkers;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.model.CheckpointBytes;
import io.vertx.core.http.HttpServerResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** Where external workers get work: a long-poll claim of one job of the kinds they serve. */
@RolesAllowed({Roles.WORKER, Roles.ADMIN})
@Path("/workers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClaimResource {

  private static final String BODY = "a JSON body is required";

  private final ExternalWorkers workers;
  private final ObjectMapper mapper;

  private final SecurityIdentity identity;

  ClaimResource(ExternalWorkers workers, ObjectMapper mapper, SecurityIdentity identity) {
    this.workers = workers;
    this.mapper = mapper;
    this.identity = identity;
  }

  /** Leases one job of the given kinds, waiting up to {@code waitSeconds}; 204 when none came. */
  @POST
  @Path("/claim")
  public Response claim(@HeaderParam("Idempotency-Key") String claimKey, @Context HttpServerResponse response,
      @NotNull(message = BODY) @Valid WorkerRequests.Claim request) throws InterruptedException {
    if (claimKey != null && (claimKey.isBlank() || claimKey.length() > 200)) {
      throw new InvalidParamsException("Idempotency-Key", "must be 1 to 200 characters");
    }
    Duration wait = seconds(request.waitSeconds(), Duration.ofSeconds(20));
    Duration ttl = seconds(request.leaseTtlSeconds(), workers.defaultTtl());
    // A worker stopped or killed while it waits closes its connection, which the response sees
    // (closed() reads Vert.x's flag under the connection's lock: safe from this worker thread).
    Optional<Assignment> claimed = workers.claim(request.worker(), request.kinds(), Callers.of(identity).tenantFilter(),
        wait, ttl, claimKey, response::closed);
    if (claimed.isEmpty()) {
      return Response.noContent().build();
    }
    Assignment a = claimed.get();
    return Response.ok(WorkerViews.ClaimView.of(a, a.checkpoint().map(this::state).orElse(null))).build();
  }

  private JsonNode state(io.checkpointd.model.StoredCheckpoint c) {
    try {
      return mapper.readTree(CheckpointBytes.json(c));
    } catch (IOException e) {
      throw new IllegalStateException("checkpoint " + c.seq() + " passed its checksum but is not JSON", e);
    }
  }

  private static Duration seconds(Double value, Duration otherwise) {
    return value == null ? otherwise : Duration.ofMillis(Math.round(value * 1000));
  }
}
