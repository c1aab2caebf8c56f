package io.checkpointd.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Where a page of jobs ended: the position of its last job, newest first. */
public record JobCursor(OffsetDateTime createdAt, UUID id) {}
