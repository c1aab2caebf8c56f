package io.checkpointd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.checkpointd.job.CheckpointSpec;
import io.checkpointd.job.NewJob;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Body of {@code POST /jobs}. */
public record CreateJobRequest(
    String kind,
    @JsonDeserialize(using = ExactNumbers.class) JsonNode params,
    @Valid CheckpointSpec checkpoint,
    @Min(value = 1, message = "must be at least 1") @Max(value = 100, message = "must be at most 100")
        Integer maxAttempts) {

  NewJob toNewJob(String idempotencyKey) {
    return new NewJob(kind, params, checkpoint, maxAttempts, idempotencyKey);
  }
}
