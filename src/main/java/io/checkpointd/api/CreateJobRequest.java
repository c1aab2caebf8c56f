package io.checkpointd.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.checkpointd.job.CheckpointSpec;
import io.checkpointd.job.NewJob;
import jakarta.validation.Valid;

/** Body of {@code POST /jobs}. */
public record CreateJobRequest(String kind, JsonNode params, @Valid CheckpointSpec checkpoint) {

  NewJob toNewJob() {
    return new NewJob(kind, params, checkpoint);
  }
}
