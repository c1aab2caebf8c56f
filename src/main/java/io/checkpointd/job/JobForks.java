package io.checkpointd.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.fge.jsonpatch.JsonPatch;
import com.github.fge.jsonpatch.JsonPatchException;
import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.engine.checkpoint.CheckpointCodec;
import io.checkpointd.engine.checkpoint.StateBytesQuota;
import io.checkpointd.kind.Computation;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.kind.JobKinds;
import io.checkpointd.model.Caller;
import io.checkpointd.model.CheckpointBytes;
import io.checkpointd.model.CheckpointWrite;
import io.checkpointd.model.JobSnapshot;
import io.checkpointd.model.Sha256;
import io.checkpointd.model.StoredCheckpoint;
import io.checkpointd.model.UnreadableStateException;
import io.checkpointd.persistence.CheckpointStore;
import io.checkpointd.persistence.JobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Forks: a new job that starts from a retained checkpoint of another one, with the state optionally
 * patched and the params optionally overridden. The parent is only read (and gets a FORKED event).
 */
@ApplicationScoped
public class JobForks {

  private final JobService jobs;
  private final JobStore store;
  private final CheckpointStore checkpoints;
  private final JobKinds kinds;
  private final ObjectMapper mapper;
  private final CheckpointdConfig config;
  private final CheckpointCodec codec;
  private final StateBytesQuota stateQuota;

  JobForks(JobService jobs, JobStore store, CheckpointStore checkpoints, JobKinds kinds, ObjectMapper mapper,
      CheckpointdConfig config, StateBytesQuota stateQuota) {
    this.jobs = jobs;
    this.store = store;
    this.checkpoints = checkpoints;
    this.kinds = kinds;
    this.mapper = mapper;
    this.config = config;
    this.codec = new CheckpointCodec(config.checkpoints().maxBytes(), config.checkpoints().compressAbove());
    this.stateQuota = stateQuota;
  }

  /**
   * Creates the fork, or with a known Idempotency-Key returns the job that key created. Everything
   * is checked before anything is written: a state the kind cannot load is refused (422) and no
   * job exists.
   */
  public CreatedJob fork(Caller caller, String parentId, ForkRequest request) {
    JobSnapshot parent = jobs.get(caller, parentId);
    StoredCheckpoint from = request.fromSeq() == null
        ? checkpoints.newest(parent.id()).orElseThrow(() -> new NoCheckpointException("job " + parentId + " has no retained checkpoint to fork from"))
        : checkpoints.find(parent.id(), request.fromSeq()).orElseThrow(() -> new NoCheckpointException(
            "job " + parentId + " has no retained checkpoint " + request.fromSeq() + "; GET /jobs/" + parentId + "/checkpoints lists those it keeps"));
    if (!CheckpointBytes.isIntact(from)) {
      throw new InvalidStateException("checkpoint " + from.seq() + " of job " + parentId + " fails its checksum; fork from another one");
    }
    JobKinds.ValidParams valid = kinds.validate(parent.tenant(), parent.kind(), overridden(parent.paramsJson(), request.params()));
    ObjectNode params = valid.params();
    long total = valid.total();
    JsonNode state = patched(read(from), request.statePatch());
    // the fork is the parent's tenant's job: a patch may not grow the state past that tenant's quota
    CheckpointWrite first =
        stateQuota.check(parent.tenant(), firstCheckpoint(parent.kind(), params, state, from.stateVersion(), from.iteration()));

    // the request as sent (fromSeq may be absent): a retry must match even if the parent moved on
    String hash = hash(parent, request.fromSeq(), params, request.statePatch());
    jobs.admit(parent.tenant(), JobService.idempotencyKey(parent.tenant(), request.idempotencyKey()));
    JobStore.Created created = store.fork(
        new JobStore.NewJobRow(
            UUID.randomUUID(), parent.kind(), params.toString(), parent.checkpointEveryIterations(),
            parent.checkpointEverySeconds(), total, parent.maxAttempts(),
            JobService.idempotencyKey(parent.tenant(), request.idempotencyKey()),
            request.idempotencyKey() == null ? null : hash, parent.retainAfterSuccess(), parent.milestones(), parent.tenant(),
            caller.name()),
        parent.id(), from.seq(), first, config.checkpoints().keep());
    if (!created.isNew() && !hash.equals(created.job().requestHash())) {
      throw new IdempotencyConflictException(request.idempotencyKey(), created.job().id().toString());
    }
    return new CreatedJob(created.job(), created.isNew());
  }

  private ObjectNode overridden(String parentParams, JsonNode overrides) {
    ObjectNode params = (ObjectNode) tree(parentParams.getBytes(StandardCharsets.UTF_8));
    if (overrides == null || overrides.isNull()) {
      return params;
    }
    if (!overrides.isObject()) {
      throw new InvalidParamsException("params", "must be an object of the parameters to change");
    }
    params.setAll((ObjectNode) overrides);
    return params;
  }

  private JsonNode read(StoredCheckpoint c) {
    return tree(CheckpointBytes.json(c));
  }

  private JsonNode patched(JsonNode state, JsonNode patch) {
    if (patch == null || patch.isNull()) {
      return state;
    }
    try {
      return JsonPatch.fromJson(patch).apply(state);
    } catch (IOException e) {
      throw new InvalidParamsException("statePatch", "is not an RFC 6902 JSON Patch: " + firstLine(e.getMessage()));
    } catch (JsonPatchException e) {
      throw new InvalidStateException("statePatch cannot be applied to checkpoint state: " + firstLine(e.getMessage()));
    }
  }

  /**
   * The fork's checkpoint 1. A built-in kind loads the state (through its upgrade steps) and
   * writes it back at its current version, so a state it cannot load never becomes a job. An
   * external kind's state is stored as given: only its workers can read it.
   */
  private CheckpointWrite firstCheckpoint(String kind, ObjectNode params, JsonNode state, int version, long iteration) {
    byte[] json;
    try {
      json = mapper.writeValueAsBytes(state);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
    if (!kinds.builtInNames().contains(kind)) {
      return codec.encode(1, iteration, version, json);
    }
    Computation<?, ?> computation = kinds.computation(kind, params);
    try {
      Object loaded = computation.deserialize(json, version);
      return codec.encode(1, computation, loaded);
    } catch (UnreadableStateException e) {
      throw new InvalidStateException("the state cannot be loaded by " + kind + ": " + e.getMessage());
    }
  }

  private JsonNode tree(byte[] json) {
    try {
      return mapper.readTree(json);
    } catch (IOException e) {
      throw new UnreadableStateException("not JSON: " + firstLine(e.getMessage()));
    }
  }

  private static String hash(JobSnapshot parent, Long fromSeq, ObjectNode params, JsonNode patch) {
    ObjectNode canonical = JsonNodeFactory.instance.objectNode();
    canonical.put("forkOf", parent.id().toString());
    canonical.put("fromSeq", fromSeq);
    canonical.set("params", params);
    canonical.set("statePatch", patch);
    return Sha256.hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "invalid";
    }
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
