package io.checkpointd.engine;

import io.checkpointd.persistence.RequestedStop;
import java.util.UUID;

/** Fired when a client asked a running job to pause or cancel, so a local runner hears at once. */
public record JobStopRequested(UUID id, RequestedStop stop) {}
