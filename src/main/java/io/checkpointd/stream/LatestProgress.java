package io.checkpointd.stream;

import io.checkpointd.model.JobEvent;
import io.checkpointd.model.JobEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest PROGRESS and CHECKPOINTED event of each job that the live streams have not sent yet.
 * A newer event replaces its job's previous one, so however often a job reports and however many
 * clients watch, it costs its publisher one map write. Written on the publishers' threads, taken
 * on the hub's.
 */
final class LatestProgress {

  private final Map<UUID, JobEvent> progress = new ConcurrentHashMap<>();
  private final Map<UUID, JobEvent> checkpoints = new ConcurrentHashMap<>();

  /** Keeps a PROGRESS or CHECKPOINTED event in place of its job's previous one of the same type. */
  void put(JobEvent event) {
    if (event.type() == JobEventType.PROGRESS) {
      progress.put(event.jobId(), event);
    } else {
      checkpoints.put(event.jobId(), event);
    }
  }

  /** Takes what is pending of every job: the checkpoints, then the progress. */
  List<JobEvent> takeAll() {
    List<JobEvent> taken = new ArrayList<>();
    drain(checkpoints, taken);
    drain(progress, taken);
    return taken;
  }

  /** Takes what is pending of one job: its checkpoint, then its progress. */
  List<JobEvent> take(UUID job) {
    List<JobEvent> taken = new ArrayList<>();
    Optional.ofNullable(checkpoints.remove(job)).ifPresent(taken::add);
    Optional.ofNullable(progress.remove(job)).ifPresent(taken::add);
    return taken;
  }

  void clear() {
    progress.clear();
    checkpoints.clear();
  }

  private static void drain(Map<UUID, JobEvent> latest, List<JobEvent> into) {
    for (UUID id : List.copyOf(latest.keySet())) {
      JobEvent event = latest.remove(id);
      if (event != null) {
        into.add(event);
      }
    }
  }
}
