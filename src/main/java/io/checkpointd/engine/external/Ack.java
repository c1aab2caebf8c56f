package io.checkpointd.engine.external;

import io.checkpointd.model.RequestedStop;

/**
 * The answer to a heartbeat or checkpoint: the lease renewed, and any pause or cancel a client
 * asked for (the worker then releases the job).
 *
 * @param seq the checkpoint's seq, null for a heartbeat
 * @param resent whether the checkpoint was already stored (a resend after a timeout)
 */
public record Ack(Long seq, long iteration, LeaseGrant lease, RequestedStop stopRequested, boolean resent) {}
