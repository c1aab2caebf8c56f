package io.checkpointd.api;

import io.checkpointd.auth.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.job.CheckpointInspector;
import io.checkpointd.job.InspectedCheckpoint;
import io.checkpointd.job.JobService;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.model.Caller;
import io.checkpointd.model.CheckpointBytes;
import io.checkpointd.model.StoredCheckpoint;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A job's retained checkpoints as clients read them: the list, the latest with its state, one with
 * its state or a diff ({@link CheckpointStateResource} pages a state too large to show whole). Why
 * on {@code /jobs} like {@link JobResource}: the calls are about one job, beside its other
 * resources.
 */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class CheckpointResource {

  private final JobService service;
  private final CheckpointInspector inspector;
  private final ObjectMapper mapper;

  /** Largest state shown by checkpoints/latest: each request holds the state parsed, and a few at 64 MiB exhausted the heap. */
  static final long MAX_STATE_SHOWN_CAP = 64L * 1024 * 1024;
  private final long maxStateShown;

  private final SecurityIdentity identity;

  CheckpointResource(
      JobService service, CheckpointInspector inspector, ObjectMapper mapper, CheckpointdConfig config, SecurityIdentity identity) {
    this.identity = identity;
    this.maxStateShown = Math.min(config.api().maxStateBytesShown(), MAX_STATE_SHOWN_CAP);
    this.service = service;
    this.inspector = inspector;
    this.mapper = mapper;
  }

  @GET
  @Path("/{id}/checkpoints")
  public List<CheckpointView> checkpoints(@PathParam("id") String id, @QueryParam("include") String include) {
    if (include != null && !"set-aside".equals(include)) {
      throw new InvalidParamsException("include", "must be 'set-aside' (or absent), was " + include);
    }
    return service.checkpoints(caller(), id, include != null).stream()
        .map(c -> new CheckpointView(
            c.seq(), c.iteration(), c.stateVersion(), c.encoding(), c.sizeBytes(), c.checksum(), null, c.createdAt(), null, null,
            null, c.setAside() ? Boolean.TRUE : null, c.milestone() ? Boolean.TRUE : null))
        .toList();
  }

  @GET
  @Path("/{id}/checkpoints/latest")
  public CheckpointView latestCheckpoint(@PathParam("id") String id) {
    StoredCheckpoint c = service.latestCheckpoint(caller(), id);
    if (CheckpointBytes.jsonLength(c, maxStateShown) > maxStateShown) {
      throw new StateTooLargeToShowException("checkpoint " + c.seq() + " of job " + id + " has a state of more than "
          + maxStateShown + " bytes of JSON (checkpointd.api.max-state-bytes-shown); read it in parts with GET /jobs/"
          + id + "/checkpoints/" + c.seq() + "/state; its metadata is at GET /jobs/" + id + "/checkpoints");
    }
    boolean intact = CheckpointBytes.isIntact(c);
    return new CheckpointView(
        c.seq(), c.iteration(), c.stateVersion(), c.encoding(), c.sizeBytes(), c.checksum(), intact, c.createdAt(),
        state(c), null, null, null, null);
  }

  /** One retained checkpoint with its state; with {@code diff} ("prev" or a seq) also a JSON Patch from that one. */
  @GET
  @Path("/{id}/checkpoints/{seq: [0-9]+}")
  public CheckpointView checkpoint(@PathParam("id") String id, @PathParam("seq") long seq, @QueryParam("diff") String diff) {
    InspectedCheckpoint inspected = inspector.inspect(caller(), id, seq, diff);
    StoredCheckpoint c = inspected.checkpoint();
    return new CheckpointView(
        c.seq(), c.iteration(), c.stateVersion(), c.encoding(), c.sizeBytes(), c.checksum(), inspected.intact(),
        c.createdAt(), inspected.state(), inspected.diffFrom(), inspected.patch(), null, null);
  }

  private JsonNode state(StoredCheckpoint c) {
    try {
      return mapper.readTree(CheckpointBytes.json(c));
    } catch (IOException | RuntimeException e) {
      // a damaged checkpoint is shown as it is stored, for a person to look at
      return mapper.getNodeFactory().textNode(new String(c.state(), StandardCharsets.UTF_8));
    }
  }

  private Caller caller() {
    return Callers.of(identity);
  }
}
