package io.checkpointd.engine.checkpoint;

import io.checkpointd.model.RequestedStop;

/** A committed checkpoint, with the stop a client had asked for when it committed (null: none). */
public record CheckpointReceipt(long seq, RequestedStop stopRequested) {}
