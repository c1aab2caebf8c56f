package io.checkpointd.engine;

import static io.checkpointd.support.Jobs.awaitJob;
import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squares;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One job's cost is bounded: in time, and in commits. */
@QuarkusTest
@TestProfile(JobLimitsTest.TightLimits.class)
@WithTestResource(EmbeddedPostgresResource.class)
class JobLimitsTest {

  public static class TightLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("checkpointd.jobs.max-runtime", "6s", "checkpointd.checkpoints.min-interval", "1s");
    }
  }

  @Test
  void a_job_running_longer_than_the_maximum_runtime_is_failed_with_a_clear_error() {
    String id = squares(100, 100, 10); // 10 s of steps, over the 6 s allowed
    var job = awaitStatus(id, "FAILED");
    assertThat(job.getString("error")).contains("maximum runtime").contains("checkpointd.jobs.max-runtime");
  }

  @Test
  void a_job_asking_for_a_checkpoint_every_iteration_gets_one_per_minimum_interval_at_most() {
    String id = squares(1000, 20, 1); // 50 steps a second, a checkpoint asked after each
    long started = System.nanoTime();
    var job = awaitJob(id, Duration.ofSeconds(60),
        j -> j.getLong("progress.iteration") >= 60 || "FAILED".equals(j.getString("status")));
    double seconds = (System.nanoTime() - started) / 1e9;
    // 60 steps or more asked for 60 checkpoints; the 1 s floor allows one a second
    assertThat(job.getLong("progress.iteration")).isGreaterThanOrEqualTo(50);
    assertThat(job.getLong("checkpointsWritten")).isLessThanOrEqualTo((long) seconds + 1);
    given().when().post("/jobs/" + id + "/cancel");
  }

}
