package io.checkpointd.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.checkpointd.job.ForkRequest;
import jakarta.validation.constraints.Min;

/**
 * The body of {@code POST /jobs/{id}/fork}; every member is optional.
 *
 * @param fromSeq the checkpoint to start from (default: the newest retained)
 * @param params parameters to change, the others are the parent's
 * @param statePatch an RFC 6902 JSON Patch applied to the checkpoint's state
 */
public record ForkJobRequest(@Min(value = 1, message = "must be at least 1") Long fromSeq, JsonNode params, JsonNode statePatch) {

  ForkRequest toForkRequest(String idempotencyKey) {
    return new ForkRequest(fromSeq, params, statePatch, idempotencyKey);
  }
}
