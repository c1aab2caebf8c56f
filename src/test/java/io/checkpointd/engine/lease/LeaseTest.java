package io.checkpointd.engine.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.checkpointd.model.JobStatus;
import io.checkpointd.model.CheckpointWrite;
import io.checkpointd.model.ClaimedJob;
import io.checkpointd.model.JobSnapshot;
import io.checkpointd.model.Lease;
import io.checkpointd.persistence.CheckpointStore;
import io.checkpointd.persistence.JobStore;
import io.checkpointd.persistence.LeaseStore;
import io.checkpointd.persistence.RecoveryStore;
import io.checkpointd.model.LeaseLostException;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.EngineOff;
import io.checkpointd.support.Jobs;
import io.checkpointd.support.MovableDatabaseClock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leases against a real PostgreSQL, with the engine switched off so that only the test claims,
 * renews and reaps. Time moves by {@link MovableDatabaseClock}, never by sleeping.
 */
@QuarkusTest
@TestProfile(EngineOff.class)
@WithTestResource(EmbeddedPostgresResource.class)
class LeaseTest {

  private static final Duration TTL = Duration.ofSeconds(10);
  private static final int MAX_RECOVERIES = 3;
  private static final List<String> SQUARES = List.of("squares");

  @Inject LeaseStore jobs;

  @Inject io.checkpointd.persistence.ClaimStore claims;
  @Inject JobStore store;
  @Inject RecoveryStore recovery;
  @Inject CheckpointStore checkpoints;
  @Inject LeaseReaper reaper;
  @Inject MovableDatabaseClock clock;
  @Inject DataSource dataSource;

  private String id;

  @BeforeEach
  void oneQueuedJob() throws Exception {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("delete from job");
    }
    clock.reset();
    id = Jobs.squares(100, 0, 5);
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void a_claim_leases_the_job_to_one_instance_with_a_new_epoch() {
    ClaimedJob a = claim("a");
    assertThat(a.id().toString()).isEqualTo(id);
    assertThat(a.epoch()).isEqualTo(1);
    assertThat(claims.claim("b", SQUARES, null, 10, TTL)).as("nothing left for b").isEmpty();
    JobSnapshot job = job();
    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.owner()).isEqualTo("a");
  }

  @Test
  void a_renewed_lease_survives_past_its_first_expiry_and_an_unrenewed_one_is_reaped() {
    ClaimedJob a = claim("a");
    clock.advance(Duration.ofSeconds(8));
    assertThat(jobs.renew(TTL, List.of(progress(a, "a", 3)))).hasSize(1);
    clock.advance(Duration.ofSeconds(8)); // 16 s after the claim, 8 s after the renewal
    assertThat(reaper.reap()).isZero();
    assertThat(job().iteration()).isEqualTo(3);

    clock.advance(Duration.ofSeconds(3)); // 11 s after the renewal
    assertThat(reaper.reap()).isEqualTo(1);
    JobSnapshot job = job();
    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.owner()).isNull();
    assertThat(job.recoveries()).isEqualTo(1);
  }

  @Test
  void a_stale_owner_can_neither_checkpoint_nor_renew_after_another_took_over() {
    ClaimedJob a = claim("a");
    Lease staleLease = new Lease(a.id(), "a", a.lease().epoch());
    checkpoints.saveCheckpoint(staleLease, write(1, 5), 3);

    clock.advance(TTL.plusSeconds(1)); // a froze: no heartbeat
    reaper.reap();
    ClaimedJob b = claim("b");
    assertThat(b.lease().epoch()).isEqualTo(2);
    // the claim hands the new owner the newest seq, to number on from
    assertThat(b.lastCheckpointSeq()).isEqualTo(1);

    assertThatThrownBy(() -> checkpoints.saveCheckpoint(staleLease, write(2, 10), 3)).isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> jobs.succeed(staleLease, 100, "{}")).isInstanceOf(LeaseLostException.class);
    assertThat(jobs.renew(TTL, List.of(progress(a, "a", 99)))).isEmpty();

    // nothing the stale one tried was stored; the new owner continues the sequence
    checkpoints.saveCheckpoint(new Lease(b.id(), "b", b.lease().epoch()), write(b.lastCheckpointSeq() + 1, 10), 3);
    assertThat(checkpoints.newestFirst(b.id())).extracting(c -> c.seq() + "@" + c.iteration()).containsExactly("2@10", "1@5");
    assertThat(job().owner()).isEqualTo("b");
  }

  @Test
  void an_instance_restarting_with_its_own_name_takes_its_jobs_back_without_waiting_for_the_lease() {
    claim("a");
    assertThat(recovery.requeueAbandonedBy("someone-else", MAX_RECOVERIES)).isZero();
    assertThat(recovery.requeueAbandonedBy("a", MAX_RECOVERIES)).isEqualTo(1);
    assertThat(job().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(claim("a").lease().epoch()).isEqualTo(2);
  }

  @Test
  void a_job_that_keeps_losing_its_owner_without_progress_fails_instead_of_crash_looping() {
    for (int i = 1; i < MAX_RECOVERIES; i++) {
      claim("a");
      assertThat(recovery.requeueAbandonedBy("a", MAX_RECOVERIES)).isEqualTo(1);
      assertThat(job().status()).isEqualTo(JobStatus.QUEUED);
    }
    // progress resets the count: this recovery is the first of a new row
    ClaimedJob a = claim("a");
    checkpoints.saveCheckpoint(new Lease(a.id(), "a", a.lease().epoch()), write(1, 5), 3);
    recovery.requeueAbandonedBy("a", MAX_RECOVERIES);
    for (int i = 2; i < MAX_RECOVERIES; i++) {
      claim("a");
      recovery.requeueAbandonedBy("a", MAX_RECOVERIES);
    }
    assertThat(job().status()).isEqualTo(JobStatus.QUEUED);
    claim("a");
    recovery.requeueAbandonedBy("a", MAX_RECOVERIES);
    JobSnapshot failed = job();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.error()).contains("lost its owner 3 times in a row without a new checkpoint");
  }

  private ClaimedJob claim(String owner) {
    List<ClaimedJob> claimed = claims.claim(owner, SQUARES, null, 10, TTL);
    assertThat(claimed).hasSize(1);
    return claimed.get(0);
  }

  private JobSnapshot job() {
    return store.find(UUID.fromString(id)).orElseThrow();
  }

  private static LeaseStore.Progress progress(ClaimedJob job, String owner, long iteration) {
    return new LeaseStore.Progress(new Lease(job.id(), owner, job.lease().epoch()), iteration, null);
  }

  private static CheckpointWrite write(long seq, long iteration) {
    byte[] state = ("{\"counter\":" + iteration + "}").getBytes();
    return new CheckpointWrite(seq, iteration, 1, "json", state, "not-checked-here");
  }
}
