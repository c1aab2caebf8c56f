package io.checkpointd.job;

import io.checkpointd.model.JobSnapshot;

/** The job a create stored, or the one an Idempotency-Key already created ({@code isNew} false). */
public record CreatedJob(JobSnapshot job, boolean isNew) {}
