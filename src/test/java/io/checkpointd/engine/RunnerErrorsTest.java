package io.checkpointd.engine;

import static io.checkpointd.support.Jobs.awaitStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Whatever a step throws, even an Error, the job is not stranded: it is retried, failed, or taken
 * over once its lease runs out, and its worker slot is freed.
 */
@QuarkusTest
@TestProfile(RunnerErrorsTest.ShortLeases.class)
@WithTestResource(EmbeddedPostgresResource.class)
class RunnerErrorsTest {

  public static class ShortLeases implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "checkpointd.lease.ttl", "2s",
          "checkpointd.lease.heartbeat-interval", "300ms",
          "checkpointd.retry.initial-backoff", "100ms");
    }
  }

  private static final AtomicLong TOKENS = new AtomicLong(System.nanoTime());

  @Inject JobExecutor executor;

  private static String flaky(int throwing, int failures, int maxAttempts) {
    return Jobs.create("{\"kind\":\"flaky\",\"params\":{\"limit\":20,\"failAt\":7,\"failures\":" + failures
        + ",\"throwing\":" + throwing + ",\"token\":" + TOKENS.incrementAndGet()
        + "},\"checkpoint\":{\"everyIterations\":5},\"maxAttempts\":" + maxAttempts + "}");
  }

  @Test
  void a_step_that_overflows_its_stack_is_an_attempt_retried_from_the_last_checkpoint() {
    String id = flaky(1, 1, 3);
    JsonPath done = awaitStatus(id, "SUCCEEDED");
    assertThat(done.getLong("result.sum")).isEqualTo(190);
    assertThat(done.getInt("attempts")).isEqualTo(1);
  }

  @Test
  void a_step_that_keeps_overflowing_fails_the_job_for_good_and_frees_its_slot() {
    String id = flaky(1, 10, 2);
    JsonPath failed = awaitStatus(id, "FAILED");
    assertThat(failed.getString("error")).contains("disk on fire at iteration 7", "attempt 2 of 2");
    assertThat(failed.getString("instance")).isNull();
  }

  @Test
  void an_out_of_memory_error_in_a_step_frees_the_slot_and_the_job_is_taken_over_after_its_lease() {
    String id = flaky(2, 1, 3);
    JsonPath done = awaitStatus(id, "SUCCEEDED");
    assertThat(done.getLong("result.sum")).as("resumed from its checkpoint, nothing counted twice").isEqualTo(190);
    List<String> events = given().get("/jobs/" + id + "/events").then().extract().jsonPath().getList("type");
    assertThat(events).containsSubsequence("STARTED", "RECOVERED", "STARTED", "SUCCEEDED");
    assertThat(executor.activeCount()).as("no runner left behind").isZero();
  }
}
