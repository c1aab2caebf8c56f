package io.checkpointd.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A job just leased to a worker, with what it needs to run it.
 *
 * @param lastCheckpointSeq the seq of its newest checkpoint (0 if none): the owner numbers on from it
 * @param startedAt when the job first started, on any worker: its maximum runtime counts from here
 * @param tenant whose job it is: its quotas apply
 */
public record ClaimedJob(
    UUID id,
    String kind,
    String params,
    Integer checkpointEveryIterations,
    Double checkpointEverySeconds,
    Lease lease,
    OffsetDateTime leaseExpiresAt,
    long total,
    int attempts,
    int maxAttempts,
    long lastCheckpointSeq,
    OffsetDateTime startedAt,
    String tenant) {

  /** The epoch the claim gave the lease: the fence every later write names. */
  public long epoch() {
    return lease.epoch();
  }
}
