package io.checkpointd.persistence;

/** A stop a client asked for, stored on the job row until the owner honours it. */
public enum RequestedStop {
  PAUSE,
  CANCEL;

  static RequestedStop of(String column) {
    return column == null ? null : valueOf(column);
  }
}
