package io.checkpointd.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Bodies of the external-worker protocol. {@code lease} is always the token the claim gave. */
final class WorkerRequests {

  private WorkerRequests() {}

  /** {@code POST /workers/claim}. */
  record Claim(
      @NotBlank(message = "is required: the worker's name") String worker,
      @NotNull(message = "is required: the kinds this worker serves") List<String> kinds,
      @DecimalMin(value = "0", message = "must be at least 0") Double waitSeconds,
      @DecimalMin(value = "0.001", message = "must be positive") Double leaseTtlSeconds) {}

  /** {@code POST /jobs/{id}/heartbeat}. */
  record Heartbeat(
      @NotBlank(message = "is required: the token of the claim") String lease,
      @Min(value = 0, message = "must be at least 0") long iteration,
      @Min(value = 0, message = "must be at least 0") Long total) {}

  /** {@code POST /jobs/{id}/checkpoints}. */
  record Checkpoint(
      @NotBlank(message = "is required: the token of the claim") String lease,
      @Min(value = 1, message = "must be at least 1") Long seq,
      @Min(value = 0, message = "must be at least 0") long iteration,
      @Min(value = 0, message = "must be at least 0") Long total,
      @NotNull(message = "is required: the worker's state as JSON") JsonNode state,
      @Min(value = 1, message = "must be at least 1") @DecimalMax(value = "1000000", message = "must be at most 1000000")
          Integer stateVersion) {}

  /** {@code POST /jobs/{id}/succeed}. */
  record Succeed(
      @NotBlank(message = "is required: the token of the claim") String lease,
      @Min(value = 0, message = "must be at least 0") long iteration,
      JsonNode result) {}

  /** {@code POST /jobs/{id}/fail}. */
  record Fail(
      @NotBlank(message = "is required: the token of the claim") String lease,
      @NotBlank(message = "is required: what went wrong") @Size(max = 2000, message = "at most 2000 characters") String error,
      Boolean retryable) {}

  /** {@code POST /jobs/{id}/release}; with {@code state}, saved first as a final checkpoint. */
  record Release(
      @NotBlank(message = "is required: the token of the claim") String lease,
      @Min(value = 0, message = "must be at least 0") long iteration,
      @Min(value = 1, message = "must be at least 1") Long seq,
      JsonNode state,
      @Min(value = 1, message = "must be at least 1") @DecimalMax(value = "1000000", message = "must be at most 1000000")
          Integer stateVersion) {}

  /** {@code PUT /kinds/{name}}. */
  record DeclareKind(
      String description,
      List<io.checkpointd.kind.ParamSpec> parameters,
      Integer stateVersion,
      String totalParam) {}
}
