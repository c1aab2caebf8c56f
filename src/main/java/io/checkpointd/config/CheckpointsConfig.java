package io.checkpointd.config;

import io.checkpointd.model.JobSnapshot;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code checkpointd.checkpoints.*}, read through {@link CheckpointdConfig#checkpoints()}. */
public interface CheckpointsConfig {
  /** How many checkpoints to keep per job: a ring of slots, each new checkpoint overwrites the oldest. */
  @WithDefault("3")
  int keep();

  /**
   * Every how many checkpoints a job keeps one as a milestone, when its policy does not say
   * (0: none). Milestones are a sparse history from the job's start, for inspecting and forking.
   */
  @WithDefault("100")
  int milestoneEvery();

  /** How many milestones a job keeps at most, when its policy does not say (hard cap 100). */
  @WithDefault("10")
  int milestones();

  /**
   * Most bytes (stored, after compression) of milestones per job (hard cap 1 GiB): past it, as past
   * the count, every other milestone is dropped and the spacing doubles. A state larger than this
   * is never a milestone.
   */
  @WithDefault("8388608")
  long milestoneBytes();

  /** The milestones of a job whose policy names none, within the hard caps. */
  default JobSnapshot.Milestones milestoneDefaults() {
    int every = Math.max(0, milestoneEvery());
    int count = Math.min(Math.max(0, milestones()), JobSnapshot.Milestones.MAX_COUNT);
    return every == 0 || count == 0 ? JobSnapshot.Milestones.NONE : new JobSnapshot.Milestones(every, count);
  }

  /** Largest checkpoint stored, in bytes after compression; a job whose state outgrows it FAILS. */
  @WithDefault("16777216")
  long maxBytes();

  /**
   * Most checkpoints committed in one transaction (group commit); 1 turns group commit off, one
   * commit per checkpoint, which the benchmarks use as the baseline.
   */
  @WithDefault("1000")
  int maxBatch();

  /**
   * The longest a checkpoint batch waits for more checkpoints to join it while they keep coming
   * (a short gap in their arrival ends it sooner). None by default: a batch is then what queued
   * while the writers committed the previous ones, which grows with the load by itself, and
   * waiting on top of that measured slower at 100 and 1,000 jobs and no faster at 10,000.
   */
  @WithDefault("0ms")
  Duration linger();

  /** Threads committing checkpoint batches, each on its own connection. */
  @WithDefault("2")
  int writers();

  /**
   * The shortest time between two checkpoints of one in-process job, whatever its policy asks
   * (hard cap 1 min): a policy of every iteration on a nanosecond step would otherwise be a
   * commit per step. Stops (pause, cancel, shutdown) checkpoint at once regardless.
   */
  @WithDefault("100ms")
  Duration minInterval();

  /** States larger than this many bytes of JSON are stored gzipped. */
  @WithDefault("65536")
  int compressAbove();

  /**
   * Largest state (bytes of JSON) that {@code GET /jobs/{id}/checkpoints/{seq}} renders or diffs;
   * larger ones are refused with a 413 problem instead of being parsed into a response (hard cap
   * 16 MiB: a diff holds two states as trees at once).
   */
  @WithDefault("1048576")
  int maxRenderBytes();
}
