package io.checkpointd.engine.checkpoint;

import io.checkpointd.kind.Computation;
import io.checkpointd.model.UnreadableStateException;
import io.checkpointd.model.CheckpointBytes;
import io.checkpointd.persistence.CheckpointStore;
import io.checkpointd.model.StoredCheckpoint;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Finds the newest checkpoint of a job that is intact and readable. */
@ApplicationScoped
public class CheckpointLoader {

  private static final Logger LOG = Logger.getLogger(CheckpointLoader.class);

  /** A state read back from checkpoint {@code seq}. */
  public record Restored(long seq, Object state) {}

  private final CheckpointStore checkpoints;

  CheckpointLoader(CheckpointStore checkpoints) {
    this.checkpoints = checkpoints;
  }

  /** The newest checkpoint that passes its checksum, as stored (for workers that read the JSON themselves). */
  public Optional<StoredCheckpoint> newestIntact(UUID jobId) {
    return checkpoints.newestFirst(jobId).stream().filter(CheckpointBytes::isIntact).findFirst();
  }

  /**
   * The newest intact checkpoint's state, or empty when the job has none. A damaged checkpoint
   * (checksum mismatch) is skipped for the one before it: stale state is better than wrong state.
   *
   * @throws UnreadableStateException when there are checkpoints and none can be read back
   */
  public Optional<Restored> latest(UUID jobId, Computation<?, ?> computation) {
    List<StoredCheckpoint> stored = checkpoints.newestFirst(jobId);
    UnreadableStateException lastError = null;
    for (StoredCheckpoint checkpoint : stored) {
      if (!CheckpointBytes.isIntact(checkpoint)) {
        LOG.warnf("Job %s: checkpoint %d fails its checksum, trying the one before it", jobId, checkpoint.seq());
        continue;
      }
      try {
        Object state = computation.deserialize(CheckpointBytes.json(checkpoint), checkpoint.stateVersion());
        return Optional.of(new Restored(checkpoint.seq(), state));
      } catch (UnreadableStateException e) {
        LOG.warnf("Job %s: checkpoint %d cannot be read (%s), trying the one before it", jobId, checkpoint.seq(), e.getMessage());
        lastError = e;
      }
    }
    if (!stored.isEmpty()) {
      throw lastError != null
          ? lastError
          : new UnreadableStateException("all " + stored.size() + " checkpoints fail their checksums");
    }
    return Optional.empty();
  }
}
