package io.checkpointd.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.kind.JobKinds;
import io.checkpointd.persistence.CheckpointMetadata;
import io.checkpointd.persistence.CheckpointRepository;
import io.checkpointd.persistence.JobEntity;
import io.checkpointd.persistence.JobEventRepository;
import io.checkpointd.persistence.JobRepository;
import io.checkpointd.persistence.StoredCheckpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The commands and queries clients have on jobs. */
@ApplicationScoped
public class JobService {

  // How often a command re-reads and re-decides when the job changed under it.
  private static final int COMMAND_ATTEMPTS = 10;

  private final JobRepository jobs;
  private final CheckpointRepository checkpoints;
  private final JobEventRepository events;
  private final JobKinds kinds;
  private final CheckpointdConfig config;

  JobService(
      JobRepository jobs,
      CheckpointRepository checkpoints,
      JobEventRepository events,
      JobKinds kinds,
      CheckpointdConfig config) {
    this.jobs = jobs;
    this.checkpoints = checkpoints;
    this.events = events;
    this.kinds = kinds;
    this.config = config;
  }

  /** Creates a job, or with a known Idempotency-Key returns the job that key created. */
  @Transactional
  public JobRepository.Created create(NewJob request) {
    if (request.kind() == null || request.kind().isBlank()) {
      throw new InvalidParamsException("kind", "is required; GET /kinds lists the kinds");
    }
    ObjectNode params = kinds.validateParams(request.kind(), request.params());
    // binding the params to the kind's record also refuses combinations the specs cannot express
    long total = kinds.computation(request.kind(), params).total();
    CheckpointSpec policy = request.checkpoint() == null ? CheckpointSpec.DEFAULT : request.checkpoint().orDefault();
    int maxAttempts = request.maxAttempts() == null ? config.retry().maxAttempts() : request.maxAttempts();
    String hash = hash(request.kind(), params, policy, maxAttempts);
    JobRepository.Created created =
        jobs.create(
            new JobRepository.NewJobRow(
                UUID.randomUUID(), request.kind(), params.toString(), policy.everyIterations(), policy.everySeconds(),
                total, maxAttempts, request.idempotencyKey(), request.idempotencyKey() == null ? null : hash));
    if (!created.isNew() && !hash.equals(created.job().requestHash)) {
      throw new IdempotencyConflictException(request.idempotencyKey(), created.job().id.toString());
    }
    return created;
  }

  /** The job as stored now (its own transaction, so never a stale copy from earlier in a request). */
  @Transactional
  public JobEntity get(String id) {
    return parse(id).flatMap(jobs::findByIdOptional).orElseThrow(() -> new JobNotFoundException(id));
  }

  public List<JobEntity> list(
      Optional<JobStatus> status, Optional<String> kind, Optional<JobRepository.JobCursor> after, int limit) {
    return jobs.list(status, kind, after, limit);
  }

  /**
   * Pause, resume or cancel. Decided from the job's current state and applied as a compare-and-set
   * on that state, so concurrent commands on one job serialize in the database.
   */
  public CommandOutcome command(String id, JobCommand command) {
    for (int i = 0; i < COMMAND_ATTEMPTS; i++) {
      JobEntity job = get(id);
      CommandDecision decision = JobCommands.decide(command, job.status, job.requested);
      if (decision instanceof CommandDecision.Refuse refuse) {
        throw new JobCommandRefusedException(
            command.path(), id, job.status, refuse.reason(), JobCommands.allowed(job.status, job.requested));
      }
      if (decision instanceof CommandDecision.Already already) {
        return new CommandOutcome(job, already.accepted());
      }
      CommandDecision.Move move = (CommandDecision.Move) decision;
      // compareAndSet also signals every instance (LISTEN/NOTIFY) on commit: a queued job is
      // claimed, a stop reaches the job's owner, wherever it runs
      if (jobs.compareAndSet(job.id, job.status, job.requested, move.to(), move.requested(), move.event())) {
        return new CommandOutcome(get(id), move.accepted());
      }
    }
    throw new IllegalStateException("job " + id + " kept changing while a " + command.path() + " was applied");
  }


  /** Deletes a finished job with its checkpoints and events. */
  public void delete(String id) {
    JobEntity job = get(id);
    EnumSet<JobStatus> finished = EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);
    if (!jobs.deleteIf(job.id, finished)) {
      JobEntity now = get(id);
      throw new JobCommandRefusedException(
          "delete", id, now.status, "it is still active; cancel it first", JobCommands.allowed(now.status, now.requested));
    }
  }

  public List<CheckpointMetadata> checkpoints(String id) {
    return checkpoints.listMetadata(get(id).id);
  }

  public StoredCheckpoint latestCheckpoint(String id) {
    JobEntity job = get(id);
    return checkpoints.newest(job.id)
        .orElseThrow(
            () -> new NoCheckpointException(
                job.status == JobStatus.SUCCEEDED
                    ? "job " + id + " has succeeded; its checkpoints were removed and its result is on the job"
                    : "job " + id + " has no checkpoint yet"));
  }

  public List<JobEventRepository.StoredEvent> events(String id) {
    return events.oldestFirst(get(id).id);
  }

  private static String hash(String kind, ObjectNode params, CheckpointSpec policy, int maxAttempts) {
    ObjectNode canonical = JsonNodeFactory.instance.objectNode();
    canonical.put("kind", kind);
    canonical.set("params", params);
    canonical.put("everyIterations", policy.everyIterations());
    canonical.put("everySeconds", policy.everySeconds());
    canonical.put("maxAttempts", maxAttempts);
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<UUID> parse(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
