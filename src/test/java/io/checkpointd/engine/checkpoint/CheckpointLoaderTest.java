package io.checkpointd.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.kind.Computation;
import io.checkpointd.kind.JobKinds;
import io.checkpointd.kind.UnreadableStateException;
import io.checkpointd.kind.squares.SquaresState;
import io.checkpointd.persistence.CheckpointRepository;
import io.checkpointd.persistence.ClaimedJob;
import io.checkpointd.persistence.JobRepository;
import io.checkpointd.persistence.Lease;
import io.checkpointd.persistence.LeaseLostException;
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

  @Inject JobRepository jobs;
  @Inject CheckpointRepository checkpoints;
  @Inject CheckpointLoader loader;
  @Inject JobKinds kinds;
  @Inject ObjectMapper mapper;
  @Inject DataSource dataSource;

  @Test
  void a_checkpoint_that_fails_its_checksum_is_skipped_for_the_previous_one() throws Exception {
    Computation<?, ?> squares = kinds.computation("squares", mapper.readTree("{\"limit\":100,\"delayMs\":0}"));
    String id = Jobs.squares(100, 0, 5);
    ClaimedJob claimed = jobs.claim("loader-test", 1000, Duration.ofMinutes(1)).stream()
        .filter(c -> c.id().toString().equals(id)).findFirst().orElseThrow();
    Lease lease = new Lease(claimed.id(), "loader-test", claimed.epoch());
    CheckpointCodec codec = new CheckpointCodec(1 << 20, 1 << 16);
    Object state = squares.initialState();
    for (int i = 1; i <= 10; i++) {
      state = squares.step(state);
      if (i % 5 == 0) {
        checkpoints.saveCheckpoint(lease, codec.encode(i / 5, squares, state), 3);
      }
    }
    sql("update checkpoint set state = convert_to('{\"counter\":10,\"data\":[0,1,4,9,16,25,36,49,64,99]}', 'UTF8')"
        + " where job_id = '" + id + "' and seq = 2");

    CheckpointLoader.Restored restored = loader.latest(claimed.id(), squares).orElseThrow();
    assertThat(restored.seq()).isEqualTo(1);
    assertThat(((SquaresState) restored.state()).data()).isEqualTo(Jobs.squaresUpTo(5));

    sql("update checkpoint set checksum = 'damaged' where job_id = '" + id + "'");
    assertThatThrownBy(() -> loader.latest(claimed.id(), squares)).isInstanceOf(UnreadableStateException.class)
        .hasMessageContaining("fail their checksums");
  }

  @Test
  void a_job_keeps_its_newest_checkpoints_and_each_new_one_overwrites_the_oldest() throws Exception {
    Computation<?, ?> squares = kinds.computation("squares", mapper.readTree("{\"limit\":100,\"delayMs\":0}"));
    String id = Jobs.squares(100, 0, 1);
    ClaimedJob claimed = jobs.claim("loader-test", 1000, Duration.ofMinutes(1)).stream()
        .filter(c -> c.id().toString().equals(id)).findFirst().orElseThrow();
    Lease lease = new Lease(claimed.id(), "loader-test", claimed.epoch());
    CheckpointCodec codec = new CheckpointCodec(1 << 20, 1 << 16);
    Object state = squares.initialState();
    for (int seq = 1; seq <= 7; seq++) {
      state = squares.step(state);
      checkpoints.saveCheckpoint(lease, codec.encode(seq, squares, state), 3);
    }
    assertThat(checkpoints.newestFirst(claimed.id())).extracting(c -> c.seq() + "@" + c.iteration())
        .containsExactly("7@7", "6@6", "5@5");
    assertThat(loader.latest(claimed.id(), squares).orElseThrow().seq()).isEqualTo(7);

    // a write numbered behind the newest (only a stale writer could send one) never replaces it
    Object stale = state;
    assertThatThrownBy(() -> checkpoints.saveCheckpoint(lease, codec.encode(4, squares, stale), 3))
        .isInstanceOf(LeaseLostException.class);
    assertThat(checkpoints.newestFirst(claimed.id())).extracting(c -> c.seq()).containsExactly(7L, 6L, 5L);
  }

  private void sql(String statement) throws Exception {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
