package io.checkpointd.api;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The body of {@code POST /jobs/{id}/rewind}: the retained checkpoint to go back to. */
public record RewindJobRequest(@NotNull(message = "is required") @Min(value = 1, message = "must be at least 1") Long toSeq) {}
