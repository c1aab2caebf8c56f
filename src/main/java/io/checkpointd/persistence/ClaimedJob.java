package io.checkpointd.persistence;

import java.util.UUID;

/**
 * A job this instance has just leased, with what it needs to run it.
 *
 * @param lastCheckpointSeq the seq of its newest checkpoint (0 if none): the owner numbers on from it
 */
public record ClaimedJob(
    UUID id,
    String kind,
    String params,
    Integer checkpointEveryIterations,
    Double checkpointEverySeconds,
    long epoch,
    long total,
    int attempts,
    int maxAttempts,
    long lastCheckpointSeq) {}
