package io.checkpointd.kind;

/**
 * One parameter of a job kind: its documentation and its validation in one place.
 *
 * @param type JSON type: {@code integer} or {@code number}
 */
public record ParamSpec(
    String name, String type, Number defaultValue, Number minimum, Number maximum, String description) {

  public static ParamSpec integer(String name, long defaultValue, long min, long max, String description) {
    return new ParamSpec(name, "integer", defaultValue, min, max, description);
  }

  public static ParamSpec number(String name, double defaultValue, double min, double max, String description) {
    return new ParamSpec(name, "number", defaultValue, min, max, description);
  }
}
