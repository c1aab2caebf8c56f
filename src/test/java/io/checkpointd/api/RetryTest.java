package io.checkpointd.api;

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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Failing steps, through the test-only {@code flaky} kind. */
@QuarkusTest
@TestProfile(RetryTest.QuickBackoff.class)
@WithTestResource(EmbeddedPostgresResource.class)
class RetryTest {

  public static class QuickBackoff implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("checkpointd.retry.initial-backoff", "200ms", "checkpointd.retry.max-backoff", "2s");
    }
  }

  private static final AtomicLong TOKENS = new AtomicLong(System.nanoTime());

  private static String flaky(int failures, int maxAttempts) {
    return Jobs.create("{\"kind\":\"flaky\",\"params\":{\"limit\":20,\"failAt\":7,\"failures\":" + failures
        + ",\"token\":" + TOKENS.incrementAndGet() + "},\"checkpoint\":{\"everyIterations\":5},\"maxAttempts\":"
        + maxAttempts + "}");
  }

  @Test
  void a_failing_step_is_retried_from_the_last_checkpoint_with_growing_backoff() {
    String id = flaky(2, 3);
    JsonPath done = awaitStatus(id, "SUCCEEDED");
    assertThat(done.getLong("result.sum")).isEqualTo(190); // 0 + 1 + ... + 19: nothing counted twice
    assertThat(done.getInt("attempts")).isEqualTo(2);

    List<Map<String, String>> retries = given().get("/jobs/" + id + "/events").then().extract().jsonPath()
        .getList("findAll { it.type == 'RETRIED' }");
    assertThat(retries).hasSize(2);
    assertThat(retries.get(0).get("detail")).contains("attempt 1 failed", "disk on fire at iteration 7", "in 200 ms");
    assertThat(retries.get(1).get("detail")).contains("attempt 2 failed", "in 400 ms");
    // the second retry waited out its backoff before the third attempt failed or went on
    OffsetDateTime first = OffsetDateTime.parse(retries.get(0).get("at"));
    OffsetDateTime second = OffsetDateTime.parse(retries.get(1).get("at"));
    assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void a_step_that_keeps_failing_fails_the_job_after_max_attempts_with_its_message() {
    String id = flaky(1000, 3);
    JsonPath failed = awaitStatus(id, "FAILED");
    assertThat(failed.getInt("attempts")).isEqualTo(3);
    assertThat(failed.getString("error"))
        .contains("disk on fire at iteration 7", "attempt 3 of 3")
        .doesNotContain("Exception", "at io.");
    // the checkpoint at iteration 5 is what a resume would start from
    assertThat(failed.getInt("lastCheckpoint.iteration")).isEqualTo(5);
  }

  @Test
  void resume_gives_a_failed_job_another_set_of_attempts() {
    String id = flaky(3, 2);
    awaitStatus(id, "FAILED");
    given().post("/jobs/" + id + "/resume").then().statusCode(202);
    // attempts 3 (fails) and 4 (succeeds) of the fresh set
    JsonPath done = awaitStatus(id, "SUCCEEDED");
    assertThat(done.getLong("result.sum")).isEqualTo(190);
  }
}
