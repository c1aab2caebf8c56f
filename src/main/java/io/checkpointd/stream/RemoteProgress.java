package io.checkpointd.stream;

import io.checkpointd.config.InstanceId;
import io.checkpointd.engine.lease.HeldLeases;
import io.checkpointd.event.ProgressSeen;
import io.checkpointd.job.JobService;
import io.checkpointd.model.JobEvent;
import io.checkpointd.model.JobSnapshot;
import io.checkpointd.model.JobStatus;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Progress of watched jobs that run on other instances, read from the database. Stored events
 * reach every instance (NOTIFY), but progress only exists where the job runs. Why polling rather
 * than a cross-instance NOTIFY per progress: it costs one read per interval per instance only while
 * a client is connected, and nothing at all otherwise, whereas progress notifications would cost
 * every running job a database round trip whether anyone watches or not. Used by the hub's thread
 * only.
 */
final class RemoteProgress {

  private static final int POLL_LIMIT = 500;

  private final JobService jobs;
  private final HeldLeases held;
  private final InstanceId instance;
  private final ProgressSeen polled = new ProgressSeen();

  RemoteProgress(JobService jobs, HeldLeases held, InstanceId instance) {
    this.jobs = jobs;
    this.held = held;
    this.instance = instance;
  }

  /**
   * Entries for the jobs held elsewhere whose iteration moved since the last poll: of every job
   * if {@code allJobs} (someone watches them all), else only of {@code watchedJobs}.
   */
  List<StreamItem.Progress.Entry> poll(boolean allJobs, Set<UUID> watchedJobs) {
    Map<UUID, JobSnapshot> running = new HashMap<>();
    if (allJobs) {
      // only jobs held elsewhere: on a lone instance this reads no row
      jobs.runningElsewhere(instance.value(), POLL_LIMIT).forEach(j -> running.put(j.id(), j));
    }
    for (UUID id : watchedJobs) {
      if (!running.containsKey(id) && held.of(id).isEmpty()) {
        jobs.find(id).filter(j -> j.status() == JobStatus.RUNNING).ifPresent(j -> running.put(id, j));
      }
    }
    List<StreamItem.Progress.Entry> entries = new ArrayList<>();
    for (JobSnapshot job : running.values()) {
      long iteration = job.progress().iteration();
      boolean moved = polled.moved(job.id(), iteration);
      if (moved && held.of(job.id()).isEmpty()) {
        entries.add(new StreamItem.Progress.Entry(JobEvent.progress(job.id(), iteration, OffsetDateTime.now()), job));
      }
    }
    polled.keepOnly(running.keySet());
    return entries;
  }

  void forget(UUID job) {
    polled.forget(job);
  }
}
