package io.checkpointd.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.kind.Computation;
import io.checkpointd.kind.JobKinds;
import io.checkpointd.model.UnreadableStateException;
import io.checkpointd.kind.squares.SquaresState;
import io.checkpointd.model.ClaimedJob;
import io.checkpointd.persistence.CheckpointStore;
import io.checkpointd.persistence.LeaseStore;
import io.checkpointd.model.Lease;
import io.checkpointd.model.LeaseLostException;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.EngineOff;
import io.checkpointd.support.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A job's newest checkpoints are kept, and stale state never wins: a damaged checkpoint is skipped
 * for the one before it.
 */
@QuarkusTest
@TestProfile(EngineOff.class)
@WithTestResource(EmbeddedPostgresResource.class)
class CheckpointLoaderTest {

  @Inject LeaseStore jobs;

  @Inject io.checkpointd.persistence.ClaimStore claims;
  @Inject CheckpointStore checkpoints;
  @Inject CheckpointLoader loader;
  @Inject JobKinds kinds;
  @Inject ObjectMapper mapper;
  @Inject DataSource dataSource;

  private final CheckpointCodec codec = new CheckpointCodec(1 << 20, 1 << 16);

  @Test
  void a_checkpoint_that_fails_its_checksum_is_skipped_for_the_previous_one() throws Exception {
    Computation<?, ?> squares = squares();
    Lease lease = claimSquaresJob();
    stepAndCheckpoint(squares, lease, 10, 5); // checkpoints 1 and 2, at iterations 5 and 10
    sql("update checkpoint set state = convert_to('{\"counter\":10,\"data\":[0,1,4,9,16,25,36,49,64,99]}', 'UTF8')"
        + " where job_id = '" + lease.jobId() + "' and seq = 2");

    CheckpointLoader.Restored restored = loader.latest(lease.jobId(), squares).orElseThrow();
    assertThat(restored.seq()).isEqualTo(1);
    assertThat(((SquaresState) restored.state()).data()).isEqualTo(Jobs.squaresUpTo(5));

    sql("update checkpoint set checksum = 'damaged' where job_id = '" + lease.jobId() + "'");
    assertThatThrownBy(() -> loader.latest(lease.jobId(), squares)).isInstanceOf(UnreadableStateException.class)
        .hasMessageContaining("fail their checksums");
  }

  @Test
  void a_job_keeps_its_newest_checkpoints_and_each_new_one_overwrites_the_oldest() throws Exception {
    Computation<?, ?> squares = squares();
    Lease lease = claimSquaresJob();
    Object state = stepAndCheckpoint(squares, lease, 7, 1);
    assertThat(checkpoints.newestFirst(lease.jobId())).extracting(c -> c.seq() + "@" + c.iteration())
        .containsExactly("7@7", "6@6", "5@5");
    assertThat(loader.latest(lease.jobId(), squares).orElseThrow().seq()).isEqualTo(7);

    // a write numbered behind the newest (only a stale writer could send one) never replaces it
    Object stale = state;
    assertThatThrownBy(() -> checkpoints.saveCheckpoint(lease, codec.encode(4, squares, stale), 3))
        .isInstanceOf(LeaseLostException.class);
    assertThat(checkpoints.newestFirst(lease.jobId())).extracting(c -> c.seq()).containsExactly(7L, 6L, 5L);
  }

  /** Runs the job's first {@code iterations} steps here, checkpointing every {@code every}; the last state. */
  private Object stepAndCheckpoint(Computation<?, ?> computation, Lease lease, int iterations, int every) {
    Object state = computation.initialState();
    for (int i = 1; i <= iterations; i++) {
      state = computation.step(state);
      if (i % every == 0) {
        checkpoints.saveCheckpoint(lease, codec.encode(i / every, computation, state), 3);
      }
    }
    return state;
  }

  private Computation<?, ?> squares() throws Exception {
    return kinds.computation("squares", mapper.readTree("{\"limit\":100,\"delayMs\":0}"));
  }

  /** A new squares job, leased to this test (the engine is off). */
  private Lease claimSquaresJob() {
    String id = Jobs.squares(100, 0, 1);
    ClaimedJob claimed = claims.claim("loader-test", java.util.List.of("squares"), null, 1000, Duration.ofMinutes(1)).stream()
        .filter(c -> c.id().toString().equals(id)).findFirst().orElseThrow();
    return new Lease(claimed.id(), "loader-test", claimed.epoch());
  }

  private void sql(String statement) throws Exception {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
