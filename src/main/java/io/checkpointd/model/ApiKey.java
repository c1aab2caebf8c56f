package io.checkpointd.model;

import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/** An API key as stored: never the key itself, which is shown once when it is created. */
public record ApiKey(
    UUID id, String prefix, String tenant, Set<String> roles, String name, OffsetDateTime createdAt, String createdBy,
    OffsetDateTime revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }
}
