package io.checkpointd.job;

import java.util.List;
import java.util.UUID;

/**
 * What the running code makes of every stored checkpoint of one kind.
 *
 * @param loadAsIs checkpoints at the kind's current state version that read back
 * @param needUpgrade older checkpoints that read back through the kind's upgrade steps
 * @param fail checkpoints that cannot be read (damaged, no upgrade step, state that does not fit)
 * @param failures the first {@link CompatibilityDryRun#MAX_LISTED} failing checkpoints, with why
 */
public record CompatibilityReport(
    String kind, int stateVersion, long checkpoints, long loadAsIs, long needUpgrade, long fail, List<Failure> failures) {

  /** One checkpoint the running code cannot load. */
  public record Failure(UUID jobId, long seq, int stateVersion, String reason) {}
}
