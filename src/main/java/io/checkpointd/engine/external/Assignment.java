package io.checkpointd.engine.external;

import io.checkpointd.model.ClaimedJob;
import io.checkpointd.model.StoredCheckpoint;
import java.util.Optional;

/** A job handed to an external worker: the job, its lease, and the checkpoint to resume from. */
public record Assignment(ClaimedJob job, LeaseGrant lease, Optional<StoredCheckpoint> checkpoint) {}
