package io.checkpointd.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.fge.jsonpatch.diff.JsonDiff;
import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.model.Caller;
import io.checkpointd.model.CheckpointBytes;
import io.checkpointd.model.CheckpointMetadata;
import io.checkpointd.model.StoredCheckpoint;
import io.checkpointd.model.UnreadableStateException;
import io.checkpointd.persistence.CheckpointStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Reads one retained checkpoint for a person, optionally as a JSON Patch from another one. */
@ApplicationScoped
public class CheckpointInspector {

  /** Hard cap of {@code checkpointd.checkpoints.max-render-bytes}: a diff holds two trees at once. */
  static final int MAX_RENDER_BYTES = 16 * 1024 * 1024;

  private final JobService jobs;
  private final CheckpointStore checkpoints;
  private final ObjectMapper mapper;
  private final int maxRenderBytes;

  CheckpointInspector(JobService jobs, CheckpointStore checkpoints, ObjectMapper mapper, CheckpointdConfig config) {
    this.jobs = jobs;
    this.checkpoints = checkpoints;
    this.mapper = mapper;
    this.maxRenderBytes = Math.min(Math.max(1, config.checkpoints().maxRenderBytes()), MAX_RENDER_BYTES);
  }

  /**
   * Checkpoint {@code seq} of job {@code id}; with {@code diff} ("prev" or a seq) also the patch from
   * that checkpoint to this one.
   */
  public InspectedCheckpoint inspect(Caller caller, String id, long seq, String diff) {
    UUID jobId = jobs.get(caller, id).id();
    StoredCheckpoint target = retained(id, jobId, seq);
    JsonNode state = render(target);
    boolean intact = CheckpointBytes.isIntact(target);
    if (diff == null) {
      return new InspectedCheckpoint(target, state, intact, null, null);
    }
    long fromSeq = "prev".equals(diff) ? previous(id, jobId, seq) : parseSeq(diff);
    StoredCheckpoint from = retained(id, jobId, fromSeq);
    if (!intact || !CheckpointBytes.isIntact(from)) {
      throw new InvalidParamsException("diff", "checkpoint " + (intact ? fromSeq : seq) + " fails its checksum; no diff is made from damaged state");
    }
    return new InspectedCheckpoint(target, state, true, fromSeq, JsonDiff.asJson(render(from), state));
  }

  private StoredCheckpoint retained(String id, UUID jobId, long seq) {
    return checkpoints.find(jobId, seq)
        .orElseThrow(() -> new NoCheckpointException("job " + id + " has no retained checkpoint " + seq
            + "; GET /jobs/" + id + "/checkpoints lists those it keeps"));
  }

  private long previous(String id, UUID jobId, long seq) {
    return checkpoints.listMetadata(jobId).stream()
        .mapToLong(CheckpointMetadata::seq)
        .filter(s -> s < seq)
        .max()
        .orElseThrow(() -> new NoCheckpointException("job " + id + " retains no checkpoint before " + seq + " to diff from"));
  }

  private static long parseSeq(String diff) {
    try {
      return Long.parseLong(diff);
    } catch (NumberFormatException e) {
      throw new InvalidParamsException("diff", "must be a checkpoint seq or 'prev', was " + diff);
    }
  }

  /** The state as a tree, refused above the render cap (checked on the stored, then the JSON size). */
  private JsonNode render(StoredCheckpoint c) {
    checkRenderable(c, c.sizeBytes());
    byte[] json;
    try {
      json = CheckpointBytes.json(c);
    } catch (UnreadableStateException e) {
      json = c.state();
    }
    checkRenderable(c, json.length);
    try {
      return mapper.readTree(json);
    } catch (IOException | RuntimeException e) {
      // a damaged checkpoint is shown as it is stored, for a person to look at
      return mapper.getNodeFactory().textNode(new String(c.state(), StandardCharsets.UTF_8));
    }
  }

  private void checkRenderable(StoredCheckpoint c, long bytes) {
    if (bytes > maxRenderBytes) {
      throw new StateTooLargeToRenderException("checkpoint " + c.seq() + " holds " + bytes + " bytes of state, more than the "
          + maxRenderBytes + " rendered into a response (checkpointd.checkpoints.max-render-bytes);"
          + " read it in parts with GET /jobs/{id}/checkpoints/" + c.seq() + "/state?at=<JSON Pointer>; its metadata (size,"
          + " checksum) is listed by GET /jobs/{id}/checkpoints");
    }
  }
}
