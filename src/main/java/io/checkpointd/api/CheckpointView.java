package io.checkpointd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/** A stored checkpoint; {@code state} only on {@code /checkpoints/latest}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointView(
    long seq,
    long iteration,
    int stateVersion,
    int sizeBytes,
    String checksum,
    Boolean intact,
    OffsetDateTime createdAt,
    JsonNode state) {}
