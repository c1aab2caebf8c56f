package io.checkpointd.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Request bodies that cannot be read: malformed JSON, a field of the wrong type, a number too
 * large for its field. Each answer names the field (its path, such as
 * "checkpoint.everyIterations") and what it must be.
 */
@Singleton
public class JsonProblems {

  private final Problems problems;

  JsonProblems(Problems problems) {
    this.problems = problems;
  }

  @ServerExceptionMapper
  public Response malformedJson(JsonParseException e, UriInfo uri) {
    return malformedJson(e, fieldAt(e), uri);
  }

  private Response malformedJson(JsonParseException e, String field, UriInfo uri) {
    String where = (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr())
        + (field.isEmpty() ? "" : " (in " + field + ")");
    return problems.response(400, "malformed-json", "Malformed JSON", "the request body is not valid JSON" + where + ": " + e.getOriginalMessage(), uri, null);
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
    return problems.response(400, "invalid-request", "Invalid request", Problems.describe(errors), uri, errors);
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
    return problems.response(400, "malformed-json", "Malformed JSON", "the request body cannot be read: " + e.getOriginalMessage(), uri, null);
  }

  /** A number that JSON allows but the field's Java type does not hold ({@code "maxAttempts": 1e400}). */
  private Response outOfRange(InputCoercionException e, String field, UriInfo uri) {
    List<Problem.FieldError> errors =
        List.of(new Problem.FieldError(field.isEmpty() ? "(body)" : field, "is out of range for " + typeName(e.getTargetType())));
    return problems.response(400, "invalid-request", "Invalid request", Problems.describe(errors), uri, errors);
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

}
