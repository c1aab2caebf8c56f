package io.checkpointd.persistence;

import java.util.Optional;
import java.util.UUID;

/** The payloads sent on the {@value #CHANNEL} LISTEN/NOTIFY channel. */
public final class JobSignal {

  public static final String CHANNEL = "checkpointd_jobs";

  private static final String QUEUED = "queued";
  private static final String STOP = "stop:";

  /** A stop request carried by a signal. */
  public record Stop(UUID jobId, RequestedStop stop) {}

  private JobSignal() {}

  static String queued() {
    return QUEUED;
  }

  static String stop(UUID id, RequestedStop stop) {
    return STOP + id + ":" + stop.name();
  }

  public static boolean isQueued(String payload) {
    return QUEUED.equals(payload);
  }

  public static Optional<Stop> parseStop(String payload) {
    if (payload == null || !payload.startsWith(STOP)) {
      return Optional.empty();
    }
    String[] parts = payload.substring(STOP.length()).split(":");
    try {
      return Optional.of(new Stop(UUID.fromString(parts[0]), RequestedStop.valueOf(parts[1])));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
