package io.checkpointd.persistence;

import java.util.UUID;

/** A job this instance has just leased, with what it needs to run it. */
public record ClaimedJob(
    UUID id,
    String kind,
    String params,
    Integer checkpointEveryIterations,
    Double checkpointEverySeconds,
    long epoch,
    long total,
    int attempts,
    int maxAttempts) {}
