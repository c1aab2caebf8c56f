package io.checkpointd.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.checkpointd.engine.external.Ack;
import io.checkpointd.engine.external.Assignment;
import io.checkpointd.engine.external.LeaseGrant;
import io.checkpointd.model.RequestedStop;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Answers of the external-worker protocol. */
final class WorkerViews {

  private WorkerViews() {}

  record LeaseView(String token, long epoch, String worker, OffsetDateTime expiresAt, double ttlSeconds) {
    static LeaseView of(LeaseGrant grant) {
      return new LeaseView(grant.token(), grant.epoch(), grant.worker(), grant.expiresAt(), grant.ttl().toMillis() / 1000.0);
    }
  }

  record ClaimedJobView(
      UUID id, String kind, @JsonRawValue String params, Cadence checkpoint, long total, int attempts,
      int maxAttempts) {}

  /**
   * When the job asks its worker to checkpoint. Only this part of its policy: what is kept
   * (milestones, after success) is the service's business, and a claimed job does not carry it.
   */
  record Cadence(Integer everyIterations, Double everySeconds) {}

  record CheckpointStateView(long seq, long iteration, int stateVersion, JsonNode state) {}

  /** A claimed job, its lease, and the checkpoint to resume from (null: start from the beginning). */
  record ClaimView(ClaimedJobView job, LeaseView lease, CheckpointStateView checkpoint) {
    static ClaimView of(Assignment a, JsonNode state) {
      var job = a.job();
      return new ClaimView(
          new ClaimedJobView(job.id(), job.kind(), job.params(),
              new Cadence(job.checkpointEveryIterations(), job.checkpointEverySeconds()), job.total(),
              job.attempts(), job.maxAttempts()),
          LeaseView.of(a.lease()),
          a.checkpoint().map(c -> new CheckpointStateView(c.seq(), c.iteration(), c.stateVersion(), state)).orElse(null));
    }
  }

  /** The answer to a heartbeat or a checkpoint. */
  record AckView(Long seq, long iteration, LeaseView lease, RequestedStop stopRequested) {
    static AckView of(Ack ack) {
      return new AckView(ack.seq(), ack.iteration(), LeaseView.of(ack.lease()), ack.stopRequested());
    }
  }
}
