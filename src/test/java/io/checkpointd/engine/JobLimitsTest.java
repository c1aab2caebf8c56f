package io.checkpointd.engine;

import static io.checkpointd.support.Jobs.awaitJob;
import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squares;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.checkpointd.support.MovableDatabaseClock;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
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

  @Inject MovableDatabaseClock clock;
  @Inject OverRuntimeSweep overRuntime;

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

  @Test
  void an_external_worker_that_never_finishes_is_stopped_at_the_maximum_runtime() {
    String kind = "endless-" + System.nanoTime() % 100000;
    given().contentType(ContentType.JSON).body("{\"description\":\"never finishes\",\"parameters\":[]}")
        .put("/kinds/" + kind).then().statusCode(201);
    String id = Jobs.create("{\"kind\":\"" + kind + "\"}");
    JsonPath claim = given().contentType(ContentType.JSON)
        .body("{\"worker\":\"w\",\"kinds\":[\"" + kind + "\"],\"waitSeconds\":5,\"leaseTtlSeconds\":120}")
        .post("/workers/claim").then().statusCode(200).extract().jsonPath();
    String token = claim.getString("lease.token");
    String checkpoint = "{\"lease\":\"" + token + "\",\"seq\":%d,\"iteration\":%d,\"state\":{\"n\":%d}}";
    given().contentType(ContentType.JSON).body(checkpoint.formatted(1, 1, 1)).post("/jobs/" + id + "/checkpoints")
        .then().statusCode(201);

    // 10 s later by the database's clock: over the 6 s allowed, well within the 120 s lease
    clock.advance(Duration.ofSeconds(10));
    try {
      assertThat(overRuntime.sweep()).isGreaterThanOrEqualTo(1);
    } finally {
      clock.reset();
    }

    given().contentType(ContentType.JSON).body(checkpoint.formatted(2, 2, 2)).post("/jobs/" + id + "/checkpoints")
        .then().statusCode(409).body("type", org.hamcrest.Matchers.endsWith("lease-lost"));
    JsonPath job = Jobs.get(id);
    assertThat(job.getString("status")).isEqualTo("FAILED");
    assertThat(job.getString("error")).contains("maximum runtime").contains("checkpointd.jobs.max-runtime");
    assertThat(job.getLong("lastCheckpoint.iteration")).isEqualTo(1); // kept: an operator sees how far it got
  }
}
