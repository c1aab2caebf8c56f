package io.checkpointd.stream;

import io.checkpointd.job.JobService;
import io.checkpointd.model.JobSnapshot;
import io.checkpointd.model.JobStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Hands progress entries to the clients that watch them. A progress event names only its job, so
 * for the all-jobs clients that filter by kind or tenant it keeps each job's kind and tenant, from
 * the jobs the hub reads anyway (stored events, remote polls), and reads a job only when it has
 * not seen it. Used by the hub's thread only.
 */
final class ProgressFanOut {

  private final JobService jobs;
  private final Map<UUID, Tag> tagOf = new HashMap<>();

  /** What the all-jobs streams filter a job's progress by. */
  private record Tag(String kind, String tenant) {

    static Tag of(JobSnapshot job) {
      return new Tag(job.kind(), job.tenant());
    }
  }

  ProgressFanOut(JobService jobs) {
    this.jobs = jobs;
  }

  /** Notes the kind and tenant of a job just read. */
  void remember(JobSnapshot job) {
    tagOf.put(job.id(), Tag.of(job));
  }

  /** Forgets a job that ended. */
  void forget(UUID job) {
    tagOf.remove(job);
  }

  /** Hands each client the entries it watches, as one item. */
  void send(List<StreamClient> clients, List<StreamItem.Progress.Entry> entries) {
    boolean anyByTag = clients.stream().anyMatch(c -> c.filter.kind().isPresent() || c.filter.tenant().isPresent());
    // one item for every client that takes them all: it is encoded once, not once per client
    StreamItem.Progress all = new StreamItem.Progress(entries);
    for (StreamClient client : clients) {
      if (client.filter.takesAllProgress()) {
        client.offer(all);
        continue;
      }
      List<StreamItem.Progress.Entry> mine = new ArrayList<>();
      for (StreamItem.Progress.Entry entry : entries) {
        UUID id = entry.event().jobId();
        Tag tag = entry.job() != null ? Tag.of(entry.job()) : anyByTag ? tag(id) : null;
        // progress only comes from running jobs
        if (client.filter.matches(id, tag == null ? null : tag.kind(), tag == null ? null : tag.tenant(), JobStatus.RUNNING)) {
          mine.add(entry);
        }
      }
      if (!mine.isEmpty()) {
        client.offer(new StreamItem.Progress(mine));
      }
    }
  }

  private Tag tag(UUID id) {
    if (tagOf.size() > 100_000) {
      tagOf.clear(); // a cache, not a register: jobs that ended elsewhere are forgotten here
    }
    return tagOf.computeIfAbsent(id, i -> jobs.find(i).map(Tag::of).orElse(null));
  }
}
