package io.checkpointd.job;

import io.checkpointd.persistence.JobEntity;

/** The job after a command, and whether the change is still under way (202) or done (200). */
public record CommandOutcome(JobEntity job, boolean accepted) {}
