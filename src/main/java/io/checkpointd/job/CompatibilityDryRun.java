package io.checkpointd.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.kind.Computation;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.kind.JobKinds;
import io.checkpointd.model.CheckpointBytes;
import io.checkpointd.model.StoredCheckpoint;
import io.checkpointd.model.UnreadableStateException;
import io.checkpointd.persistence.CheckpointStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Tries to load every stored checkpoint of a kind with the running code, as a resume would, and
 * counts what loads, what needs an upgrade step and what fails: to run on a new release before the
 * old one is gone. Reads only; nothing is written.
 */
@ApplicationScoped
public class CompatibilityDryRun {

  static final int MAX_LISTED = 100;
  private static final int PAGE = 200;
  // PostgreSQL orders uuids as unsigned bytes: the nil uuid is the first
  private static final UUID BEFORE_ALL = new UUID(0, 0);

  private final CheckpointStore checkpoints;
  private final JobKinds kinds;
  private final ObjectMapper mapper;

  CompatibilityDryRun(CheckpointStore checkpoints, JobKinds kinds, ObjectMapper mapper) {
    this.checkpoints = checkpoints;
    this.kinds = kinds;
    this.mapper = mapper;
  }

  /** The report for a kind this service runs itself (external workers hold the code of theirs). */
  public CompatibilityReport run(String kind) {
    if (!kinds.builtInNames().contains(kind)) {
      if (!kinds.declaredExternal(null, kind)) {
        throw new InvalidParamsException("name", "no kind '" + kind + "'; GET /kinds lists them");
      }
      throw new InvalidParamsException("name", "'" + kind + "' is run by external workers, which hold its code:"
          + " a dry run here can only check kinds this service runs");
    }
    int version = kinds.get(kind).stateVersion();
    long total = 0;
    long asIs = 0;
    long upgrade = 0;
    long fail = 0;
    List<CompatibilityReport.Failure> failures = new ArrayList<>();
    UUID afterJob = BEFORE_ALL;
    long afterSeq = Long.MIN_VALUE;
    List<CheckpointStore.OfJob> page;
    do {
      page = checkpoints.ofKind(kind, afterJob, afterSeq, PAGE);
      for (CheckpointStore.OfJob row : page) {
        total++;
        StoredCheckpoint c = row.checkpoint();
        try {
          int steps = load(kind, row.params(), c);
          if (steps == 0) {
            asIs++;
          } else {
            upgrade++;
          }
        } catch (UnreadableStateException | InvalidParamsException e) {
          fail++;
          if (failures.size() < MAX_LISTED) {
            failures.add(new CompatibilityReport.Failure(row.jobId(), c.seq(), c.stateVersion(), e.getMessage()));
          }
        }
        afterJob = row.jobId();
        afterSeq = c.seq();
      }
    } while (page.size() == PAGE);
    return new CompatibilityReport(kind, version, total, asIs, upgrade, fail, failures);
  }

  /** Loads one checkpoint as a resume would; the number of upgrade steps it took. */
  private int load(String kind, String params, StoredCheckpoint c) {
    if (!CheckpointBytes.isIntact(c)) {
      throw new UnreadableStateException("fails its checksum");
    }
    JsonNode paramsTree;
    try {
      paramsTree = mapper.readTree(params);
    } catch (IOException e) {
      throw new UnreadableStateException("the job's params are not JSON");
    }
    Computation<?, ?> computation = kinds.computation(kind, paramsTree);
    computation.deserialize(CheckpointBytes.json(c), c.stateVersion());
    return computation.upgradesNeeded(c.stateVersion());
  }
}
