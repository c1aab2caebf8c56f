package io.checkpointd.job;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A fork as a client asks for it; every member may be null.
 *
 * @param fromSeq the parent's checkpoint to start from; null: its newest
 * @param params overrides of the parent's params, member by member, validated like a new job's
 * @param statePatch an RFC 6902 JSON Patch applied to the checkpoint's state
 */
public record ForkRequest(Long fromSeq, JsonNode params, JsonNode statePatch, String idempotencyKey) {}
