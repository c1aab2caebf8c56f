package io.checkpointd.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.checkpointd.model.StoredCheckpoint;

/**
 * One checkpoint as a person inspects it.
 *
 * @param state the state as JSON (a damaged checkpoint: its stored text)
 * @param intact whether the stored bytes pass their checksum
 * @param diffFrom the seq {@code patch} starts from; null without a diff
 * @param patch the RFC 6902 patch that turns checkpoint {@code diffFrom}'s state into this one's
 */
public record InspectedCheckpoint(StoredCheckpoint checkpoint, JsonNode state, boolean intact, Long diffFrom, JsonNode patch) {}
