package io.checkpointd.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.engine.checkpoint.CheckpointCodec;
import io.checkpointd.job.JobService;
import io.checkpointd.job.JobStatus;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.persistence.JobEntity;
import io.checkpointd.persistence.StoredCheckpoint;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

  static final int MAX_PAGE = 500;

  private final JobService service;
  private final ObjectMapper mapper;

  JobResource(JobService service, ObjectMapper mapper) {
    this.service = service;
    this.mapper = mapper;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@NotNull(message = "a JSON body is required") @Valid CreateJobRequest request) {
    JobEntity job = service.create(request.toNewJob());
    return Response.created(URI.create("/jobs/" + job.id)).entity(JobView.of(job, mapper)).build();
  }

  @GET
  @Path("/{id}")
  public JobView get(@PathParam("id") String id) {
    return JobView.of(service.get(id), mapper);
  }

  @GET
  public JobPage list(
      @QueryParam("status") String status,
      @QueryParam("kind") String kind,
      @QueryParam("limit") @DefaultValue("50") String limit,
      @QueryParam("cursor") String cursor) {
    int size = pageSize(limit);
    List<JobEntity> jobs =
        service.list(
            Optional.ofNullable(status).map(JobResource::status),
            Optional.ofNullable(kind),
            Optional.ofNullable(cursor).map(Cursors::parse),
            size + 1);
    List<JobView> items = jobs.stream().limit(size).map(j -> JobView.of(j, mapper)).toList();
    String next = jobs.size() > size ? Cursors.of(jobs.get(size - 1)) : null;
    return new JobPage(items, next);
  }

  @GET
  @Path("/{id}/checkpoints")
  public List<CheckpointView> checkpoints(@PathParam("id") String id) {
    return service.checkpoints(id).stream()
        .map(c -> new CheckpointView(c.seq, c.iteration, c.stateVersion, c.sizeBytes, c.checksum, null, c.createdAt, null))
        .toList();
  }

  @GET
  @Path("/{id}/checkpoints/latest")
  public CheckpointView latestCheckpoint(@PathParam("id") String id) {
    StoredCheckpoint c = service.latestCheckpoint(id);
    boolean intact = CheckpointCodec.isIntact(c);
    return new CheckpointView(
        c.seq(), c.iteration(), c.stateVersion(), c.sizeBytes(), c.checksum(), intact, c.createdAt(), state(c, intact));
  }

  private com.fasterxml.jackson.databind.JsonNode state(StoredCheckpoint c, boolean intact) {
    try {
      return mapper.readTree(c.state());
    } catch (IOException e) {
      if (!intact) {
        return mapper.getNodeFactory().textNode(CheckpointCodec.json(c));
      }
      throw new UncheckedIOException(e);
    }
  }

  private static JobStatus status(String value) {
    try {
      return JobStatus.valueOf(value.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new InvalidParamsException(
          "status",
          "unknown status '" + value + "'; one of " + Arrays.stream(JobStatus.values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
  }

  private static int pageSize(String limit) {
    try {
      int size = Integer.parseInt(limit);
      if (size >= 1 && size <= MAX_PAGE) {
        return size;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new InvalidParamsException("limit", "must be an integer between 1 and " + MAX_PAGE + ", was " + limit);
  }
}
