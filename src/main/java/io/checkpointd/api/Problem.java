package io.checkpointd.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document: what went wrong, in words a person can act on. {@code extensions}
 * are extra members at the top level (e.g. {@code currentStatus}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String instance, List<FieldError> errors,
    @JsonAnyGetter Map<String, Object> extensions) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** One invalid field of a request, by its JSON path (e.g. {@code params.limit}). */
  public record FieldError(String field, String message) {}
}
