package io.checkpointd.kind;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.UnaryOperator;

/**
 * One step that brings a checkpoint's state from {@code fromVersion} to {@code fromVersion + 1}.
 * Steps work on the JSON, not on Java types: the old version's record no longer exists in the new
 * code, and a chain of small steps (1 → 2 → 3) keeps each one easy to write and to test.
 *
 * @param step a pure function of the old JSON; it may throw IllegalArgumentException for a state
 *     it cannot upgrade, which is reported as unreadable with its message
 */
public record StateUpgrade(int fromVersion, UnaryOperator<JsonNode> step) {}
