package io.checkpointd.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.checkpointd.engine.JobQueued;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.kind.JobKinds;
import io.checkpointd.persistence.CheckpointEntity;
import io.checkpointd.persistence.CheckpointRepository;
import io.checkpointd.persistence.JobEntity;
import io.checkpointd.persistence.JobRepository;
import io.checkpointd.persistence.StoredCheckpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The commands and queries clients have on jobs. */
@ApplicationScoped
public class JobService {

  private final JobRepository jobs;
  private final CheckpointRepository checkpoints;
  private final JobKinds kinds;
  private final Event<JobQueued> created;

  JobService(JobRepository jobs, CheckpointRepository checkpoints, JobKinds kinds, Event<JobQueued> created) {
    this.jobs = jobs;
    this.checkpoints = checkpoints;
    this.kinds = kinds;
    this.created = created;
  }

  @Transactional
  public JobEntity create(NewJob request) {
    if (request.kind() == null || request.kind().isBlank()) {
      throw new InvalidParamsException("kind", "is required; GET /kinds lists the kinds");
    }
    ObjectNode params = kinds.validateParams(request.kind(), request.params());
    long total = kinds.computation(request.kind(), params).total();
    CheckpointSpec policy = request.checkpoint() == null ? CheckpointSpec.DEFAULT : request.checkpoint().orDefault();
    UUID id = UUID.randomUUID();
    JobEntity job =
        jobs.create(id, request.kind(), params.toString(), policy.everyIterations(), policy.everySeconds(), total);
    created.fire(new JobQueued(id));
    return job;
  }

  public JobEntity get(String id) {
    return parse(id).flatMap(jobs::findByIdOptional).orElseThrow(() -> new JobNotFoundException(id));
  }

  public List<JobEntity> list(
      Optional<JobStatus> status, Optional<String> kind, Optional<JobRepository.JobCursor> after, int limit) {
    return jobs.list(status, kind, after, limit);
  }

  public List<CheckpointEntity> checkpoints(String id) {
    return checkpoints.listMetadata(get(id).id);
  }

  public StoredCheckpoint latestCheckpoint(String id) {
    JobEntity job = get(id);
    return checkpoints.newestFirst(job.id).stream()
        .findFirst()
        .orElseThrow(
            () -> new NoCheckpointException(
                job.status == JobStatus.SUCCEEDED
                    ? "job " + id + " has succeeded; its checkpoints were removed and its result is on the job"
                    : "job " + id + " has no checkpoint yet"));
  }

  private static Optional<UUID> parse(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
