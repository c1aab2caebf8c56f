package io.checkpointd.job;

import com.fasterxml.jackson.databind.JsonNode;

/** What a client asks for when it creates a job; {@code params} and {@code checkpoint} may be null. */
public record NewJob(String kind, JsonNode params, CheckpointSpec checkpoint) {}
