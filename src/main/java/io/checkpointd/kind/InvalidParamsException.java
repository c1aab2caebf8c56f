package io.checkpointd.kind;

import java.util.List;

/** A request whose parameters (or other fields) cannot be accepted; each problem names its field. */
public class InvalidParamsException extends RuntimeException {

  public record Violation(String field, String message) {}

  private final List<Violation> violations;

  public InvalidParamsException(List<Violation> violations) {
    super(violations.isEmpty() ? "invalid request" : violations.get(0).field() + ": " + violations.get(0).message());
    this.violations = List.copyOf(violations);
  }

  public InvalidParamsException(String field, String message) {
    this(List.of(new Violation(field, message)));
  }

  public List<Violation> violations() {
    return violations;
  }
}
