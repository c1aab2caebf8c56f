package io.checkpointd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/**
 * A stored checkpoint; {@code state} only when one checkpoint is read, {@code diffFrom} and
 * {@code patch} (RFC 6902, from checkpoint {@code diffFrom} to this one) only with {@code ?diff=};
 * {@code setAside} true for a checkpoint a rewind set aside, {@code milestone} true in a list for one
 * kept as a milestone (both absent otherwise). {@code sizeBytes} is the
 * stored size ({@code encoding} {@code json+gzip}: compressed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointView(
    long seq,
    long iteration,
    int stateVersion,
    String encoding,
    int sizeBytes,
    String checksum,
    Boolean intact,
    OffsetDateTime createdAt,
    JsonNode state,
    Long diffFrom,
    JsonNode patch,
    Boolean setAside,
    Boolean milestone) {}
