package io.checkpointd.api;

import io.checkpointd.auth.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.job.CommandOutcome;
import io.checkpointd.job.JobForks;
import io.checkpointd.job.CreatedJob;
import io.checkpointd.job.JobCommand;
import io.checkpointd.job.JobService;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.model.JobSnapshot;
import io.checkpointd.model.JobStatus;
import io.checkpointd.stream.JobStreams;
import io.checkpointd.stream.StreamFilter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

  static final int MAX_PAGE = 500;

  private final JobService service;
  private final JobStreams streams;
  private final JobForks forks;
  private final ObjectMapper mapper;

  private final SecurityIdentity identity;

  JobResource(JobService service, JobStreams streams, JobForks forks, ObjectMapper mapper, SecurityIdentity identity) {
    this.identity = identity;
    this.service = service;
    this.streams = streams;
    this.forks = forks;
    this.mapper = mapper;
  }

  /**
   * Every job's changes as Server-Sent Events, optionally of one status and kind: status changes
   * live, progress a few times a second. With {@code Last-Event-ID}, first the status changes missed.
   */
  @GET
  @Path("/stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void streamAll(
      @QueryParam("status") String status,
      @QueryParam("kind") String kind,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse) {
    StreamFilter filter = new StreamFilter(Optional.empty(), Optional.ofNullable(status).map(JobResource::status),
        Optional.ofNullable(kind), Optional.ofNullable(caller().tenantFilter()));
    streams.open(filter, new SseStreamSink(sink, sse, mapper), lastEventId(lastEventId));
  }

  /**
   * One job's history and then its live changes as Server-Sent Events, until it ends; with {@code
   * Last-Event-ID}, only what came after that event.
   */
  @GET
  @Path("/{id}/stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void stream(
      @PathParam("id") String id,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse) {
    JobSnapshot job = service.get(caller(), id); // 404 before the stream starts
    streams.open(StreamFilter.oneJob(job.id()), new SseStreamSink(sink, sse, mapper), lastEventId(lastEventId));
  }

  private static Optional<Long> lastEventId(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      throw new InvalidParamsException("Last-Event-ID", "must be the id of an event this stream sent, was " + header);
    }
  }

  /**
   * Creates a job. With an {@code Idempotency-Key} already used for the same request, answers 200
   * with the job it created, so a client retrying after a timeout never starts two.
   */
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      @NotNull(message = "a JSON body is required") @Valid CreateJobRequest request) {
    checkIdempotencyKey(idempotencyKey);
    CreatedJob created = service.create(caller(), request.toNewJob(idempotencyKey));
    return created(created);
  }

  /**
   * 201 (or 200 for a request sent again) with the job's path as its Location. Relative, as RFC
   * 9110 allows: an absolute one built from the Host header is wrong behind a proxy.
   */
  private static Response created(CreatedJob created) {
    return (created.isNew() ? Response.status(201) : Response.ok())
        .header("Location", "/jobs/" + created.job().id())
        .entity(JobView.of(created.job()))
        .build();
  }

  /**
   * Forks a new job from a retained checkpoint of this one: 201 with the new job, or with an
   * {@code Idempotency-Key} already used for the same fork, 200 with the job it created.
   */
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @POST
  @Path("/{id}/fork")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response fork(
      @PathParam("id") String id,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      @NotNull(message = "a JSON body is required") @Valid ForkJobRequest request) {
    checkIdempotencyKey(idempotencyKey);
    CreatedJob created = forks.fork(caller(), id, request.toForkRequest(idempotencyKey));
    return created(created);
  }

  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @POST
  @Path("/{id}/pause")
  public Response pause(@PathParam("id") String id) {
    return outcome(service.command(caller(), id, JobCommand.PAUSE));
  }

  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @POST
  @Path("/{id}/resume")
  public Response resume(@PathParam("id") String id) {
    return outcome(service.command(caller(), id, JobCommand.RESUME));
  }

  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @POST
  @Path("/{id}/cancel")
  public Response cancel(@PathParam("id") String id) {
    return outcome(service.command(caller(), id, JobCommand.CANCEL));
  }

  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @DELETE
  @Path("/{id}")
  public Response delete(@PathParam("id") String id) {
    service.delete(caller(), id);
    return Response.noContent().build();
  }

  @GET
  @Path("/{id}/events")
  public List<EventView> events(@PathParam("id") String id) {
    return service.history(caller(), id).stream().map(EventView::of).toList();
  }

  private Response outcome(CommandOutcome outcome) {
    return Response.status(outcome.accepted() ? 202 : 200).entity(JobView.of(outcome.job())).build();
  }

  @GET
  @Path("/{id}")
  public CompletionStage<JobView> get(@PathParam("id") String id) {
    return service.lookup(caller(), id).thenApply(JobView::of);
  }

  @GET
  public JobPage list(
      @QueryParam("status") String status,
      @QueryParam("kind") String kind,
      @QueryParam("limit") @DefaultValue("50") String limit,
      @QueryParam("cursor") String cursor) {
    int size = pageSize(limit);
    List<JobSnapshot> jobs =
        service.list(caller(), 
            Optional.ofNullable(status).map(JobResource::status),
            Optional.ofNullable(kind),
            Optional.ofNullable(cursor).map(Cursors::parse),
            size + 1);
    List<JobView> items = jobs.stream().limit(size).map(JobView::of).toList();
    String next = jobs.size() > size ? Cursors.of(jobs.get(size - 1)) : null;
    return new JobPage(items, next);
  }

  /** Sets a paused or failed job back to a retained checkpoint; newer ones are set aside. */
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @POST
  @Path("/{id}/rewind")
  @Consumes(MediaType.APPLICATION_JSON)
  public JobView rewind(@PathParam("id") String id, @NotNull(message = "a JSON body is required") @Valid RewindJobRequest request) {
    return JobView.of(service.rewind(caller(), id, request.toSeq()));
  }

  private static void checkIdempotencyKey(String idempotencyKey) {
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
      throw new InvalidParamsException("Idempotency-Key", "must be 1 to 200 characters");
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

  private io.checkpointd.model.Caller caller() {
    return Callers.of(identity);
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
