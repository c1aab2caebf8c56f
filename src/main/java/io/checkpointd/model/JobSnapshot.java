package io.checkpointd.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A job as stored, read in one statement. {@code paramsJson} and {@code resultJson} are the JSON
 * texts as stored, so a reader that only passes them on never parses them.
 *
 * @param owner the worker holding the lease: an instance id, or an external worker's name
 * @param lastCheckpoint the newest checkpoint, or null before the first
 * @param forkedFrom the checkpoint this job was forked from, or null
 * @param retainAfterSuccess whether its checkpoints are kept when it succeeds
 * @param milestones which older checkpoints it keeps besides the newest ones
 * @param tenant whose job it is
 */
public record JobSnapshot(
    UUID id,
    String kind,
    String paramsJson,
    Integer checkpointEveryIterations,
    Double checkpointEverySeconds,
    JobStatus status,
    RequestedStop requested,
    long iteration,
    long total,
    String resultJson,
    String error,
    String owner,
    long epoch,
    OffsetDateTime leaseExpiresAt,
    int attempts,
    int maxAttempts,
    Double rate,
    int recoveries,
    String requestHash,
    LastCheckpoint lastCheckpoint,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    ForkedFrom forkedFrom,
    boolean retainAfterSuccess,
    Milestones milestones,
    String tenant) {

  /**
   * Every {@code every}-th checkpoint is kept as a milestone, at most {@code count} of them
   * (thinned to every other one when full); 0 for either means none.
   */
  public record Milestones(int every, int count) {

    public static final Milestones NONE = new Milestones(0, 0);

    /** Most milestones a job may keep: each may be a whole state. */
    public static final int MAX_COUNT = 100;
  }

  /** The job and checkpoint a forked job started from. */
  public record ForkedFrom(UUID jobId, long seq) {}

  /** The newest checkpoint's place. */
  public record LastCheckpoint(long seq, long iteration, OffsetDateTime at) {}

  /** How far the job has got, how fast, and what a crash now would cost. */
  public JobProgress progress() {
    return JobProgress.of(this);
  }

  /** Checkpoints written so far: seqs run 1, 2, 3, … across owners, so the newest is the count. */
  public long checkpointsWritten() {
    return lastCheckpoint == null ? 0 : lastCheckpoint.seq();
  }
}
