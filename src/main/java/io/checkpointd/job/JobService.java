package io.checkpointd.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.kind.JobKinds;
import io.checkpointd.model.Caller;
import io.checkpointd.model.CheckpointMetadata;
import io.checkpointd.model.JobCursor;
import io.checkpointd.model.JobEvent;
import io.checkpointd.model.JobEventType;
import io.checkpointd.model.JobSnapshot;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.JobTransitions;
import io.checkpointd.model.Sha256;
import io.checkpointd.model.StoredCheckpoint;
import io.checkpointd.persistence.CheckpointStore;
import io.checkpointd.persistence.ClusterStats;
import io.checkpointd.persistence.EventStore;
import io.checkpointd.persistence.JobLookup;
import io.checkpointd.persistence.JobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** The commands and queries clients have on jobs. */
@ApplicationScoped
public class JobService {

  // How often a command re-reads and re-decides when the job changed under it.
  private static final int COMMAND_ATTEMPTS = 10;

  private final TenantQuotas quotas;
  private final JobStore jobs;
  private final JobLookup lookup;
  private final CheckpointStore checkpoints;
  private final EventStore events;
  private final ClusterStats cluster;
  private final JobKinds kinds;
  private final CheckpointdConfig config;

  JobService(
      JobStore jobs, JobLookup lookup, CheckpointStore checkpoints, EventStore events, ClusterStats cluster, JobKinds kinds,
      CheckpointdConfig config, TenantQuotas quotas) {
    this.quotas = quotas;
    this.jobs = jobs;
    this.lookup = lookup;
    this.checkpoints = checkpoints;
    this.events = events;
    this.cluster = cluster;
    this.kinds = kinds;
    this.config = config;
  }

  /** Creates a job, or with a known Idempotency-Key returns the job that key created. */
  public CreatedJob create(Caller caller, NewJob request) {
    if (request.kind() == null || request.kind().isBlank()) {
      throw new InvalidParamsException("kind", "is required; GET /kinds lists the kinds");
    }
    JobKinds.ValidParams valid = kinds.validate(caller.tenant(), request.kind(), request.params());
    ObjectNode params = valid.params();
    long total = valid.total();
    CheckpointSpec policy = request.checkpoint() == null ? CheckpointSpec.DEFAULT : request.checkpoint().orDefault();
    int maxAttempts = request.maxAttempts() == null ? config.retry().maxAttempts() : request.maxAttempts();
    // only a request that can be sent again (it has a key) is compared with the one that created its job
    String hash = request.idempotencyKey() == null ? null : hash(request.kind(), params, policy, maxAttempts);
    String key = idempotencyKey(caller.tenant(), request.idempotencyKey());
    admit(caller.tenant(), key);
    JobStore.Created created =
        jobs.create(
            new JobStore.NewJobRow(
                UUID.randomUUID(), request.kind(), params.toString(), policy.everyIterations(), policy.everySeconds(),
                total, maxAttempts, key, hash, policy.retains(),
                policy.milestonesOr(config.checkpoints().milestoneDefaults()), caller.tenant(), caller.name()));
    if (!created.isNew() && !created.job().requestHash().equals(hash)) {
      throw new IdempotencyConflictException(request.idempotencyKey(), created.job().id().toString());
    }
    return new CreatedJob(created.job(), created.isNew());
  }

  /**
   * Takes a creation from the tenant's quotas. A request sent again with its Idempotency-Key
   * creates nothing, so it is answered whatever the quotas say.
   */
  void admit(String tenant, String storedKey) {
    try {
      quotas.admitCreation(tenant);
    } catch (QuotaExceededException e) {
      if (storedKey == null || jobs.findByIdempotencyKey(storedKey).isEmpty()) {
        throw e;
      }
    }
  }

  /** A job id as a client sent it; one that cannot be any job's is a 404, as an unknown one. */
  public UUID idOf(String id) {
    return parse(id).orElseThrow(() -> new JobNotFoundException(id));
  }

  /** The job as stored now, if the caller may see it: another tenant's job is not found, as an unknown one. */
  public JobSnapshot get(Caller caller, String id) {
    return parse(id).flatMap(uuid -> jobs.find(uuid, caller.tenantFilter())).orElseThrow(() -> new JobNotFoundException(id));
  }

  /**
   * {@link #get}, read without holding a thread: for the API's GET /jobs/{id}, answered on the
   * event loop that received it. A malformed id fails at once, before any read.
   */
  public CompletionStage<JobSnapshot> lookup(Caller caller, String id) {
    UUID uuid = idOf(id);
    return lookup.find(uuid, caller.tenantFilter()).thenApply(found -> found.orElseThrow(() -> new JobNotFoundException(id)));
  }

  public List<JobSnapshot> list(
      Caller caller, Optional<JobStatus> status, Optional<String> kind, Optional<JobCursor> after, int limit) {
    return jobs.list(caller.tenantFilter(), status, kind, after, limit);
  }

  /**
   * Idempotency keys are per tenant: the default tenant's as sent (as stored before tenants), any
   * other's behind its name and a separator no HTTP header can carry, so no two tenants' keys meet.
   */
  static String idempotencyKey(String tenant, String key) {
    return key == null || Caller.DEFAULT_TENANT.equals(tenant) ? key : tenant + '\u001f' + key;
  }

  /**
   * Pause, resume or cancel. Decided from the job's current state and applied as a compare-and-set
   * on that state, so concurrent commands on one job serialize in the database.
   */
  public CommandOutcome command(Caller caller, String id, JobCommand command) {
    for (int i = 0; i < COMMAND_ATTEMPTS; i++) {
      JobSnapshot job = get(caller, id);
      CommandDecision decision = JobCommands.decide(command, job.status(), job.requested());
      if (decision instanceof CommandDecision.Refuse refuse) {
        throw new JobCommandRefusedException(
            command.path(), id, job.status(), refuse.reason(), JobCommands.allowed(job.status(), job.requested()));
      }
      if (decision instanceof CommandDecision.Already already) {
        return new CommandOutcome(job, already.accepted());
      }
      CommandDecision.Move move = (CommandDecision.Move) decision;
      if (move.to() != job.status()) {
        JobTransitions.check(job.status(), move.to());
      }
      // the command's event also signals every instance: a queued job is claimed, a stop reaches
      // the job's owner, wherever it runs
      if (jobs.compareAndSet(job.id(), job.status(), job.requested(), move.to(), move.requested(), move.event(), caller.name())) {
        return new CommandOutcome(get(caller, id), move.accepted());
      }
    }
    throw new IllegalStateException("job " + id + " kept changing while a " + command.path() + " was applied");
  }

  /** Deletes a finished job with its checkpoints and events. */
  public void delete(Caller caller, String id) {
    JobSnapshot job = get(caller, id);
    EnumSet<JobStatus> finished = EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);
    if (!jobs.deleteIf(job.id(), finished)) {
      JobSnapshot now = get(caller, id);
      throw new JobCommandRefusedException(
          "delete", id, now.status(), "it is still active; cancel it first", JobCommands.allowed(now.status(), now.requested()));
    }
  }

  /** The job's checkpoints, newest first; those a rewind set aside only if {@code includeSetAside}. */
  public List<CheckpointMetadata> checkpoints(Caller caller, String id, boolean includeSetAside) {
    return checkpoints.listMetadata(get(caller, id).id()).stream().filter(c -> includeSetAside || !c.setAside()).toList();
  }

  /**
   * Sets a PAUSED or FAILED job back to its retained checkpoint {@code toSeq}; a resume continues
   * from there. Newer checkpoints are set aside, not deleted. Why not CANCELLED: a cancelled job
   * never runs again (JobTransitions), so a rewind would change nothing; fork it instead. Repeating
   * a rewind to the same seq changes nothing more, so it is idempotent without a key.
   */
  public JobSnapshot rewind(Caller caller, String id, long toSeq) {
    for (int i = 0; i < COMMAND_ATTEMPTS; i++) {
      JobSnapshot job = get(caller, id);
      if ((job.status() != JobStatus.PAUSED && job.status() != JobStatus.FAILED) || job.requested() != null) {
        throw new JobCommandRefusedException("rewind", id, job.status(),
            job.status() == JobStatus.CANCELLED
                ? "a cancelled job never runs again; fork it from the checkpoint instead"
                : "only a PAUSED or FAILED job can be rewound; pause it first",
            JobCommands.allowed(job.status(), job.requested()));
      }
      if (checkpoints.find(job.id(), toSeq).isEmpty()) {
        throw new NoCheckpointException("job " + id + " has no retained checkpoint " + toSeq
            + "; GET /jobs/" + id + "/checkpoints?include=set-aside lists those it keeps");
      }
      if (checkpoints.rewind(job.id(), job.status(), toSeq).isPresent()) {
        return get(caller, id);
      }
    }
    throw new IllegalStateException("job " + id + " kept changing while a rewind was applied");
  }

  public StoredCheckpoint latestCheckpoint(Caller caller, String id) {
    JobSnapshot job = get(caller, id);
    return checkpoints.newest(job.id())
        .orElseThrow(
            () -> new NoCheckpointException(
                job.status() == JobStatus.SUCCEEDED
                    ? "job " + id + " has succeeded; its checkpoints were removed and its result is on the job"
                    : "job " + id + " has no checkpoint yet"));
  }

  /**
   * The job's history, oldest first. Checkpoints are not stored one by one (there may be
   * thousands a second): they appear as one entry for the newest, with their count.
   */
  public List<JobEvent> history(Caller caller, String id) {
    JobSnapshot job = get(caller, id);
    List<JobEvent> history = new ArrayList<>(events.oldestFirst(job.id()));
    JobSnapshot.LastCheckpoint last = job.lastCheckpoint();
    if (last != null) {
      history.add(new JobEvent(0, job.id(), JobEventType.CHECKPOINTED, last.at(),
          "latest: checkpoint " + last.seq() + " at iteration " + last.iteration(), last.seq(), last.iteration()));
    }
    history.sort(Comparator.comparing(JobEvent::at, Comparator.nullsLast(Comparator.naturalOrder())));
    return history;
  }

  /** Stored events after {@code afterId} (of one job, or of all), oldest first: what a reconnecting stream missed. */
  public List<JobEvent> eventsAfter(long afterId, Optional<UUID> jobId, int limit) {
    return events.after(afterId, jobId, limit);
  }

  /**
   * The workers holding leases on running jobs, with how many of the caller's tenant's jobs each
   * holds and when its leases expire.
   */
  public List<ClusterStats.LeaseHolding> leaseHolders(Caller caller) {
    return cluster.leaseHolders(caller.tenantFilter());
  }

  /** RUNNING jobs held by workers other than {@code owner}, newest first. */
  public List<JobSnapshot> runningElsewhere(String owner, int limit) {
    return jobs.runningElsewhere(owner, limit);
  }

  /** The job as stored now, if it exists. */
  public Optional<JobSnapshot> find(UUID id) {
    return jobs.find(id);
  }

  private static String hash(String kind, ObjectNode params, CheckpointSpec policy, int maxAttempts) {
    ObjectNode canonical = JsonNodeFactory.instance.objectNode();
    canonical.put("kind", kind);
    canonical.set("params", params);
    canonical.put("everyIterations", policy.everyIterations());
    canonical.put("everySeconds", policy.everySeconds());
    canonical.put("maxAttempts", maxAttempts);
    // only when set: the hashes of requests without it stay what earlier releases stored
    if (policy.retains()) {
      canonical.put("retainAfterSuccess", true);
    }
    if (policy.milestoneEvery() != null) {
      canonical.put("milestoneEvery", policy.milestoneEvery());
    }
    if (policy.milestones() != null) {
      canonical.put("milestones", policy.milestones());
    }
    return Sha256.hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<UUID> parse(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
