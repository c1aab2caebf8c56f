package io.checkpointd.job;

import io.checkpointd.model.JobSnapshot;

/** The job after a command, and whether the change is still under way (202) or done (200). */
public record CommandOutcome(JobSnapshot job, boolean accepted) {}
