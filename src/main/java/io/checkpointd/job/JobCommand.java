package io.checkpointd.job;

/** What a client can ask of an existing job. */
public enum JobCommand {
  PAUSE,
  RESUME,
  CANCEL;

  public String path() {
    return name().toLowerCase();
  }
}
