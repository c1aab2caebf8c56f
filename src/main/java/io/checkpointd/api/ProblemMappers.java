package io.checkpointd.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.checkpointd.engine.external.CheckpointConflictException;
import io.checkpointd.job.IdempotencyConflictException;
import io.checkpointd.kind.KindConflictException;
import io.checkpointd.model.CheckpointTooLargeException;
import io.checkpointd.persistence.DatabaseUnavailable;
import io.checkpointd.model.LeaseLostException;
import io.checkpointd.model.IllegalJobTransitionException;
import io.checkpointd.job.JobCommand;
import io.checkpointd.job.JobCommandRefusedException;
import io.checkpointd.job.JobNotFoundException;
import io.checkpointd.job.InvalidStateException;
import io.checkpointd.job.NoCheckpointException;
import io.checkpointd.job.QuotaExceededException;
import io.checkpointd.job.StateTooLargeToRenderException;
import io.checkpointd.kind.InvalidParamsException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Where exceptions become {@code application/problem+json} (unreadable bodies in {@link JsonProblems}). Details name the field
 * and what was wrong; they never carry a class name or a stack trace.
 */
public class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
  /** Long enough for a saturated pool to drain a little, short enough that a client does not stall. */
  static final int RETRY_AFTER_SECONDS = 2;

  private final Problems problems;
  private final JsonProblems json;

  ProblemMappers(Problems problems, JsonProblems json) {
    this.problems = problems;
    this.json = json;
  }

  @ServerExceptionMapper
  public Response invalidParams(InvalidParamsException e, UriInfo uri) {
    List<Problem.FieldError> errors =
        e.violations().stream().map(v -> new Problem.FieldError(v.field(), v.message())).toList();
    return problems.response(400, "invalid-request", "Invalid request", Problems.describe(errors), uri, errors);
  }

  @ServerExceptionMapper
  public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
    List<Problem.FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
            .sorted(Comparator.comparing(Problem.FieldError::field))
            .toList();
    return problems.response(400, "invalid-request", "Invalid request", Problems.describe(errors), uri, errors);
  }

  @ServerExceptionMapper
  public Response notFound(JobNotFoundException e, UriInfo uri) {
    return problems.response(404, "job-not-found", "Job not found", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response kindNotFound(KindResource.KindNotFoundException e, UriInfo uri) {
    return problems.response(404, "kind-not-found", "Kind not found", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response quotaExceeded(QuotaExceededException e, UriInfo uri) {
    Response r = problems.response(429, "quota-exceeded", "Quota exceeded", e.getMessage(), uri, null,
        Map.of("quota", e.quota(), "limit", e.limit()));
    return Response.fromResponse(r).header("Retry-After", e.retryAfterSeconds()).build();
  }

  @ServerExceptionMapper
  public Response noCheckpoint(NoCheckpointException e, UriInfo uri) {
    return problems.response(404, "no-checkpoint", "No checkpoint", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response invalidState(InvalidStateException e, UriInfo uri) {
    return problems.response(422, "invalid-state", "State the kind cannot load", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response tooLargeToRender(StateTooLargeToRenderException e, UriInfo uri) {
    return problems.response(413, "state-too-large-to-render", "State too large to render", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response commandRefused(JobCommandRefusedException e, UriInfo uri) {
    return problems.response(409, "command-refused", "Not possible in the job's current status", e.getMessage(), uri, null,
        Map.of("currentStatus", e.status().name(), "allowedCommands", e.allowed().stream().map(JobCommand::path).toList()));
  }

  @ServerExceptionMapper
  public Response idempotencyConflict(IdempotencyConflictException e, UriInfo uri) {
    return problems.response(422, "idempotency-key-reused", "Idempotency-Key reused", e.getMessage(), uri, null);
  }

  /** A worker whose lease is gone must stop and write nothing more for the job. */
  @ServerExceptionMapper
  public Response leaseLost(LeaseLostException e, UriInfo uri) {
    return problems.response(409, "lease-lost", "Lease lost",
        e.getMessage() + "; another worker holds the job now, or it finished: stop working on it and claim again",
        uri, null);
  }

  @ServerExceptionMapper
  public Response checkpointConflict(CheckpointConflictException e, UriInfo uri) {
    return problems.response(409, "checkpoint-conflict", "Checkpoint conflict", e.getMessage(), uri, null);
  }

  /** Beyond the global cap or the tenant's {@code state-bytes} quota: the same problem, the quota named when it was one. */
  @ServerExceptionMapper
  public Response stateTooLarge(CheckpointTooLargeException e, UriInfo uri) {
    Map<String, Object> limit = e.quota() == null ? Map.of("limit", e.limit()) : Map.of("quota", e.quota(), "limit", e.limit());
    return problems.response(413, "state-too-large", "State too large", e.getMessage(), uri, null, limit);
  }

  @ServerExceptionMapper
  public Response stateTooLargeToShow(StateTooLargeToShowException e, UriInfo uri) {
    return problems.response(413, "state-too-large-to-show", "State too large to show", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response kindConflict(KindConflictException e, UriInfo uri) {
    return problems.response(409, "kind-conflict", "Kind cannot be declared so", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response illegalTransition(IllegalJobTransitionException e, UriInfo uri) {
    return problems.response(409, "illegal-transition", "Not possible in the job's current status", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    // The JSON reader wraps parse errors in a plain 400; answer them with what was wrong.
    if (e.getCause() instanceof JsonParseException parse) {
      return json.malformedJson(parse, uri);
    }
    if (e.getCause() instanceof MismatchedInputException mismatch) {
      return json.mismatchedInput(mismatch, uri);
    }
    if (e.getCause() instanceof JsonProcessingException cause) {
      return json.otherJson(cause, uri);
    }
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      return unexpected(e, uri);
    }
    Response.Status known = Response.Status.fromStatusCode(status);
    String title = known == null ? "Request refused" : known.getReasonPhrase();
    String detail = switch (status) {
      case 404 -> "no resource at " + uri.getPath();
      case 405 -> "method not allowed on " + uri.getPath();
      case 406 -> "this resource answers application/json";
      case 415 -> "the request body must be application/json";
      case 413 -> "the request body is too large";
      default -> e.getMessage();
    };
    return problems.response(status, slug(title), title, detail, uri, null);
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    if (DatabaseUnavailable.is(e)) {
      return databaseUnavailable(e, uri);
    }
    LOG.error("Unexpected error on " + uri.getPath(), e);
    return problems.response(500, "internal-error", "Internal error", "the service failed to handle this request; the error is in its log", uri, null);
  }

  /**
   * A database that is down, saturated, or slower than the API's statement timeout: the request
   * may succeed later, so 503 with Retry-After, and a WARN without the stack (it is not a bug).
   */
  private Response databaseUnavailable(Throwable e, UriInfo uri) {
    LOG.warnf("Database unavailable on %s: %s", uri == null ? "?" : uri.getPath(), e.getMessage());
    Response r = problems.response(503, "database-unavailable", "Service unavailable",
        "the database is unavailable or busy; retry after " + RETRY_AFTER_SECONDS + " s", uri, null);
    return Response.fromResponse(r).header("Retry-After", RETRY_AFTER_SECONDS).build();
  }

  private static String fieldOf(ConstraintViolation<?> v) {
    // Paths look like "create.request.checkpoint.everyIterations": drop the method and argument.
    String path = v.getPropertyPath().toString();
    String[] parts = path.split("\\.", 3);
    return parts.length == 3 ? parts[2] : "(body)";
  }

  private static String slug(String title) {
    return title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
  }
}
