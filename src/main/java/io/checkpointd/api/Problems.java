package io.checkpointd.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds {@code application/problem+json} answers, for the exception mappers and for Vert.x routes. */
@Singleton
public class Problems {

  /** For {@link #problemJson}: a Problem needs nothing of the configured mapper. */
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private final ObjectMapper mapper;

  Problems(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  Response response(int status, String type, String title, String detail, UriInfo uri, List<Problem.FieldError> errors) {
    return response(status, type, title, detail, uri, errors, null);
  }

  Response response(
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

  static String describe(List<Problem.FieldError> errors) {
    return errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
  }

}
