package io.checkpointd.engine.external;

import java.time.Duration;
import java.time.OffsetDateTime;

/** A lease as a worker is told about it: its token, and until when it holds unless renewed. */
public record LeaseGrant(String token, long epoch, String worker, OffsetDateTime expiresAt, Duration ttl) {

  static LeaseGrant of(LeaseToken token, OffsetDateTime expiresAt) {
    return new LeaseGrant(token.encode(), token.lease().epoch(), token.lease().owner(), expiresAt, token.ttl());
  }
}
