package io.checkpointd.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
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
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become {@code application/problem+json}. Details name the field
 * and what was wrong; they never carry a class name or a stack trace.
 */
public class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
  /** Long enough for a saturated pool to drain a little, short enough that a client does not stall. */
  static final int RETRY_AFTER_SECONDS = 2;

  /** For {@link #problemJson}: a Problem needs nothing of the configured mapper. */
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private final ObjectMapper mapper;

  ProblemMappers(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @ServerExceptionMapper
  public Response invalidParams(InvalidParamsException e, UriInfo uri) {
    List<Problem.FieldError> errors =
        e.violations().stream().map(v -> new Problem.FieldError(v.field(), v.message())).toList();
    return problem(400, "invalid-request", "Invalid request", describe(errors), uri, errors);
  }

  @ServerExceptionMapper
  public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
    List<Problem.FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
            .sorted(Comparator.comparing(Problem.FieldError::field))
            .toList();
    return problem(400, "invalid-request", "Invalid request", describe(errors), uri, errors);
  }

  @ServerExceptionMapper
  public Response malformedJson(JsonParseException e, UriInfo uri) {
    return malformedJson(e, fieldAt(e), uri);
  }

  private Response malformedJson(JsonParseException e, String field, UriInfo uri) {
    String where = (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr())
        + (field.isEmpty() ? "" : " (in " + field + ")");
    return problem(400, "malformed-json", "Malformed JSON", "the request body is not valid JSON" + where + ": " + e.getOriginalMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
    String field = path(e);
    String message;
    if (e instanceof UnrecognizedPropertyException u) {
      message = "unknown field; known fields: " + u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
    } else if (e instanceof InvalidFormatException f) {
      message = "must be " + typeName(f.getTargetType()) + ", was " + f.getValue();
    } else if (e.getTargetType() != null) {
      message = "must be " + typeName(e.getTargetType());
    } else {
      message = "does not have the expected type";
    }
    List<Problem.FieldError> errors = List.of(new Problem.FieldError(field.isEmpty() ? "(body)" : field, message));
    return problem(400, "invalid-request", "Invalid request", describe(errors), uri, errors);
  }

  @ServerExceptionMapper
  public Response otherJson(JsonProcessingException e, UriInfo uri) {
    // Databind wraps the parser's own errors (a number too large for an int, a NaN) in a
    // JsonMappingException. The parser stopped at the bad token, so it knows the full path (into
    // params too, which databind reads as one tree); databind's path is the fallback.
    Throwable cause = e instanceof JsonMappingException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof StreamReadException read) {
      String field = fieldAt(read);
      if (field.isEmpty() && e instanceof JsonMappingException m) {
        field = path(m);
      }
      if (read instanceof InputCoercionException coercion) {
        return outOfRange(coercion, field, uri);
      }
      if (read instanceof JsonParseException parse) {
        return malformedJson(parse, field, uri);
      }
    }
    return problem(400, "malformed-json", "Malformed JSON", "the request body cannot be read: " + e.getOriginalMessage(), uri, null);
  }

  /** A number that JSON allows but the field's Java type does not hold ({@code "maxAttempts": 1e400}). */
  private Response outOfRange(InputCoercionException e, String field, UriInfo uri) {
    List<Problem.FieldError> errors =
        List.of(new Problem.FieldError(field.isEmpty() ? "(body)" : field, "is out of range for " + typeName(e.getTargetType())));
    return problem(400, "invalid-request", "Invalid request", describe(errors), uri, errors);
  }

  @ServerExceptionMapper
  public Response notFound(JobNotFoundException e, UriInfo uri) {
    return problem(404, "job-not-found", "Job not found", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response noCheckpoint(NoCheckpointException e, UriInfo uri) {
    return problem(404, "no-checkpoint", "No checkpoint", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response invalidState(InvalidStateException e, UriInfo uri) {
    return problem(422, "invalid-state", "State the kind cannot load", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response tooLargeToRender(StateTooLargeToRenderException e, UriInfo uri) {
    return problem(413, "state-too-large-to-render", "State too large to render", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response commandRefused(JobCommandRefusedException e, UriInfo uri) {
    return problem(409, "command-refused", "Not possible in the job's current status", e.getMessage(), uri, null,
        Map.of("currentStatus", e.status().name(), "allowedCommands", e.allowed().stream().map(JobCommand::path).toList()));
  }

  @ServerExceptionMapper
  public Response idempotencyConflict(IdempotencyConflictException e, UriInfo uri) {
    return problem(422, "idempotency-key-reused", "Idempotency-Key reused", e.getMessage(), uri, null);
  }

  /** A worker whose lease is gone must stop and write nothing more for the job. */
  @ServerExceptionMapper
  public Response leaseLost(LeaseLostException e, UriInfo uri) {
    return problem(409, "lease-lost", "Lease lost",
        e.getMessage() + "; another worker holds the job now, or it finished: stop working on it and claim again",
        uri, null);
  }

  @ServerExceptionMapper
  public Response checkpointConflict(CheckpointConflictException e, UriInfo uri) {
    return problem(409, "checkpoint-conflict", "Checkpoint conflict", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response stateTooLarge(CheckpointTooLargeException e, UriInfo uri) {
    return problem(413, "state-too-large", "State too large", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response stateTooLargeToShow(StateTooLargeToShowException e, UriInfo uri) {
    return problem(413, "state-too-large-to-show", "State too large to show", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response kindConflict(KindConflictException e, UriInfo uri) {
    return problem(409, "kind-conflict", "Kind cannot be declared so", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response illegalTransition(IllegalJobTransitionException e, UriInfo uri) {
    return problem(409, "illegal-transition", "Not possible in the job's current status", e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    // The JSON reader wraps parse errors in a plain 400; answer them with what was wrong.
    if (e.getCause() instanceof JsonParseException parse) {
      return malformedJson(parse, uri);
    }
    if (e.getCause() instanceof MismatchedInputException mismatch) {
      return mismatchedInput(mismatch, uri);
    }
    if (e.getCause() instanceof JsonProcessingException json) {
      return otherJson(json, uri);
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
    return problem(status, slug(title), title, detail, uri, null);
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    if (DatabaseUnavailable.is(e)) {
      return databaseUnavailable(e, uri);
    }
    LOG.error("Unexpected error on " + uri.getPath(), e);
    return problem(500, "internal-error", "Internal error", "the service failed to handle this request; the error is in its log", uri, null);
  }

  /**
   * A database that is down, saturated, or slower than the API's statement timeout: the request
   * may succeed later, so 503 with Retry-After, and a WARN without the stack (it is not a bug).
   */
  private Response databaseUnavailable(Throwable e, UriInfo uri) {
    LOG.warnf("Database unavailable on %s: %s", uri == null ? "?" : uri.getPath(), e.getMessage());
    Response r = problem(503, "database-unavailable", "Service unavailable",
        "the database is unavailable or busy; retry after " + RETRY_AFTER_SECONDS + " s", uri, null);
    return Response.fromResponse(r).header("Retry-After", RETRY_AFTER_SECONDS).build();
  }

  private Response problem(int status, String type, String title, String detail, UriInfo uri, List<Problem.FieldError> errors) {
    return problem(status, type, title, detail, uri, errors, null);
  }

  private Response problem(
      int status, String type, String title, String detail, UriInfo uri, List<Problem.FieldError> errors,
      Map<String, Object> extensions) {
    Problem body =
        new Problem("/problems/" + type, title, status, detail, uri == null ? null : uri.getPath(), errors, extensions);
    try {
      // Serialized here so the content type is exactly application/problem+json whatever the
      // client asked for in Accept.
      return Response.status(status).type(Problem.MEDIA_TYPE).entity(mapper.writeValueAsString(body)).build();
    } catch (JsonProcessingException impossible) {
      return Response.status(status).type(Problem.MEDIA_TYPE).entity("{\"status\":" + status + "}").build();
    }
  }

  /** A problem document for code outside the mappers (Vert.x routes), serialized by Jackson. */
  static String problemJson(int status, String type, String title, String detail, String path) {
    Problem body = new Problem("/problems/" + type, title, status, detail, path, null, null);
    try {
      return PLAIN.writeValueAsString(body);
    } catch (JsonProcessingException impossible) {
      return "{\"status\":" + status + "}";
    }
  }

  private static String describe(List<Problem.FieldError> errors) {
    return errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
  }

  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  /** Where the parser was when it failed, as "checkpoint.everyIterations"; "" when unknown. */
  private static String fieldAt(StreamReadException e) {
    JsonParser parser = e.getProcessor();
    if (parser == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        b.insert(0, (b.length() == 0 || b.charAt(0) == '[' ? "" : ".")).insert(0, c.getCurrentName());
      } else if (c.inArray()) {
        b.insert(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
      }
    }
    return b.toString();
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return type == Double.class || type == double.class || type == Float.class ? "a number" : "an integer";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "a JSON object";
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
