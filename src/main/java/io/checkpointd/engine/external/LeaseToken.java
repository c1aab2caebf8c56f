package io.checkpointd.engine.external;

import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.model.Lease;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/**
 * The lease an external worker holds, as an opaque token: the epoch and worker of the claim and
 * its TTL. It stays the same for the whole lease, so a resent request is always the same request.
 * It grants nothing by itself: every write is fenced by the job row's epoch and owner.
 */
public record LeaseToken(Lease lease, Duration ttl) {

  private static final String VERSION = "v1";

  public String encode() {
    String raw = VERSION + ":" + lease.epoch() + ":" + ttl.toMillis() + ":" + lease.owner();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The token a worker sent for job {@code jobId}. */
  public static LeaseToken decode(UUID jobId, String token) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 4);
      if (parts.length == 4 && VERSION.equals(parts[0]) && !parts[3].isEmpty()) {
        return new LeaseToken(new Lease(jobId, parts[3], Long.parseLong(parts[1])), Duration.ofMillis(Long.parseLong(parts[2])));
      }
    } catch (RuntimeException e) {
      // reported below, without echoing what was sent
    }
    throw new InvalidParamsException("lease", "is not a lease token this service gave out; use lease.token from the claim");
  }
}
