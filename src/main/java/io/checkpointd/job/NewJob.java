package io.checkpointd.job;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a client asks for when it creates a job; {@code params}, {@code checkpoint}, {@code
 * maxAttempts} and {@code idempotencyKey} may be null.
 */
public record NewJob(String kind, JsonNode params, CheckpointSpec checkpoint, Integer maxAttempts, String idempotencyKey) {}
