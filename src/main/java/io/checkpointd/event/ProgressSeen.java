package io.checkpointd.event;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The iteration last published for each job, so that progress is published only for jobs that
 * moved since: a slow or idle job costs its watchers nothing. Not thread-safe: each owner uses it
 * from one thread, or under its own lock.
 */
public final class ProgressSeen {

  private final Map<UUID, Long> iterations = new HashMap<>();

  /** Records {@code iteration} as the job's newest; whether it moved since the last one recorded. */
  public boolean moved(UUID job, long iteration) {
    Long before = iterations.put(job, iteration);
    return before == null || before != iteration;
  }

  /** Forgets every job not in {@code current}: ended, or no longer where the owner looks. */
  public void keepOnly(Set<UUID> current) {
    iterations.keySet().retainAll(current);
  }

  public void forget(UUID job) {
    iterations.remove(job);
  }
}
