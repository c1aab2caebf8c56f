package io.checkpointd.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.engine.checkpoint.CheckpointCodec;
import io.checkpointd.engine.checkpoint.CheckpointLoader;
import io.checkpointd.engine.checkpoint.EveryIterationsOrSeconds;
import io.checkpointd.engine.lease.LeaseHolder;
import io.checkpointd.kind.Computation;
import io.checkpointd.kind.JobKinds;
import io.checkpointd.model.Lease;
import io.checkpointd.persistence.PersistenceFailure;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.EngineOff;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A runner finishes (its slot freed, its lease no longer renewed) even when recording its end fails. */
@QuarkusTest
@TestProfile(EngineOff.class)
@WithTestResource(EmbeddedPostgresResource.class)
class RunnerFinishesTest {

  @Inject JobKinds kinds;
  @Inject CheckpointLoader loader;
  @Inject ObjectMapper mapper;
  @Inject CheckpointdConfig config;

  /** A protocol whose every write fails as a database that just went away would. */
  static final class DatabaseGone extends WorkerProtocol {
    final AtomicInteger fails = new AtomicInteger();
    final AtomicInteger drops = new AtomicInteger();

    DatabaseGone(CheckpointdConfig config) {
      super(null, null, null, null, config);
    }

    @Override
    public void fail(Lease lease, String error, int attempts) {
      fails.incrementAndGet();
      throw new PersistenceFailure(new SQLException("connection refused"));
    }

    @Override
    public void drop(LeaseHolder holder) {
      drops.incrementAndGet();
    }
  }

  @Test
  void a_state_too_large_to_checkpoint_finishes_the_runner_even_if_its_failure_cannot_be_recorded() throws Exception {
    DatabaseGone protocol = new DatabaseGone(config);
    ScheduledExecutorService steps = Executors.newSingleThreadScheduledExecutor();
    try {
      // 1 byte at most: the first checkpoint is too large
      RunnerServices services =
          new RunnerServices(protocol, new CheckpointCodec(1, 1 << 20), loader, Clock.systemUTC(), steps, config);
      Computation<?, ?> squares = kinds.computation("squares", mapper.readTree("{\"limit\":100,\"delayMs\":0}"));
      JobRunner runner = new JobRunner(new Lease(UUID.randomUUID(), "test", 1), "default", squares, squares.initialState(), 0,
          new EveryIterationsOrSeconds(5, null), 0, 3, java.time.Instant.MAX, services);

      runner.start();

      runner.finished().get(10, TimeUnit.SECONDS);
      assertThat(protocol.fails).as("it tried to record the failure").hasValue(1);
      assertThat(protocol.drops).as("its lease is no longer renewed").hasValue(1);
    } finally {
      steps.shutdownNow();
    }
  }
}
