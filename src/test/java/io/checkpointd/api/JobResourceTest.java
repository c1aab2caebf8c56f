package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitJob;
import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squares;
import static io.checkpointd.support.Jobs.squaresUpTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class JobResourceTest {

  @Test
  void creating_a_job_answers_201_with_its_location_and_the_defaults_of_the_sketch() {
    String id =
        given().contentType(ContentType.JSON).body("{\"kind\":\"squares\"}")
            .when().post("/jobs")
            .then().statusCode(201)
            .header("Location", endsWith("/jobs/" + given().when().get("/jobs?limit=1").path("items[0].id")))
            .body("kind", equalTo("squares"))
            .body("params.limit", equalTo(100))
            .body("params.delayMs", equalTo(500))
            .body("checkpoint.everyIterations", equalTo(5))
            .body("status", equalTo("QUEUED"))
            .body("progress.total", equalTo(100))
            .body("lastCheckpoint", nullValue())
            .body("result", nullValue())
            .extract().path("id");
    assertThat(Jobs.get(id).getString("kind")).isEqualTo("squares");
  }

  @Test
  void a_squares_job_runs_to_exactly_the_squares_and_drops_its_checkpoints() {
    String id = squares(23, 0, 5);

    JsonPath job = awaitStatus(id, "SUCCEEDED");

    assertThat(job.getList("result.data", Long.class)).isEqualTo(squaresUpTo(23));
    assertThat(job.getLong("progress.iteration")).isEqualTo(23);
    assertThat(job.getDouble("progress.percent")).isEqualTo(100.0);
    assertThat(job.getInt("lastCheckpoint.iteration")).isEqualTo(20);
    assertThat(job.getInt("checkpointsWritten")).isEqualTo(4);
    assertThat(job.getString("finishedAt")).isNotNull();
    given().when().get("/jobs/" + id + "/checkpoints").then().statusCode(200).body("size()", equalTo(0));
    given().when().get("/jobs/" + id + "/checkpoints/latest")
        .then().statusCode(404).contentType("application/problem+json")
        .body("detail", org.hamcrest.Matchers.containsString("succeeded"));
  }

  @Test
  void a_running_job_shows_its_checkpoints_and_the_latest_state() {
    String id = squares(10_000, 20, 2);
    JsonPath job = awaitJob(id, Duration.ofSeconds(30), j -> j.getInt("lastCheckpoint.seq") >= 4);
    assertThat(job.getString("status")).isEqualTo("RUNNING");
    assertThat(job.getString("instance")).isNotBlank();

    List<Map<String, Object>> checkpoints =
        given().when().get("/jobs/" + id + "/checkpoints").then().statusCode(200).extract().jsonPath().getList("$");
    // the newest three are kept, newest first, two iterations apart
    assertThat(checkpoints).hasSize(3);
    List<Integer> seqs = checkpoints.stream().map(c -> (Integer) c.get("seq")).toList();
    assertThat(seqs).isSortedAccordingTo((a, b) -> b - a);
    for (Map<String, Object> c : checkpoints) {
      assertThat((Integer) c.get("iteration")).isEqualTo(2 * (Integer) c.get("seq"));
      assertThat((String) c.get("checksum")).hasSize(64);
    }

    JsonPath latest = given().when().get("/jobs/" + id + "/checkpoints/latest").then().statusCode(200).extract().jsonPath();
    int counter = latest.getInt("state.counter");
    assertThat(latest.getInt("iteration")).isEqualTo(counter);
    assertThat(latest.getBoolean("intact")).isTrue();
    assertThat(latest.getList("state.data", Long.class)).isEqualTo(squaresUpTo(counter));
  }

  @Test
  void a_running_jobs_progress_is_never_behind_its_newest_checkpoint() throws Exception {
    // Checkpoints every iteration, heartbeats every 500 ms: the checkpoints run ahead of the beats.
    String id = squares(10_000, 10, 1);
    awaitJob(id, Duration.ofSeconds(30), j -> j.getInt("lastCheckpoint.seq") >= 1);
    for (int sample = 0; sample < 30; sample++) {
      JsonPath job = Jobs.get(id);
      long checkpointed = job.getLong("lastCheckpoint.iteration");
      assertThat(job.getLong("progress.iteration")).isGreaterThanOrEqualTo(checkpointed);
      assertThat(job.getLong("lastCheckpoint.iterationsAtRisk"))
          .isEqualTo(job.getLong("progress.iteration") - checkpointed);
      assertThat(job.getLong("checkpointsWritten")).isEqualTo(job.getLong("lastCheckpoint.seq"));
      Thread.sleep(50);
    }
    given().when().post("/jobs/" + id + "/cancel").then().statusCode(202);
  }

  @Test
  void a_time_based_policy_checkpoints_without_an_iteration_count() {
    String id = Jobs.create(
        "{\"kind\":\"squares\",\"params\":{\"limit\":10000,\"delayMs\":10},\"checkpoint\":{\"everySeconds\":0.2}}");
    JsonPath job = awaitJob(id, Duration.ofSeconds(30), j -> j.getInt("checkpointsWritten") >= 2);
    assertThat(job.getString("checkpoint.everyIterations")).isNull();
    assertThat(job.getDouble("checkpoint.everySeconds")).isEqualTo(0.2);
  }

  @Test
  void jobs_are_listed_newest_first_filtered_and_paged() {
    String kindFilter = "squares";
    String a = squares(1, 0, 5);
    String b = squares(1, 0, 5);
    String c = squares(1, 0, 5);
    awaitStatus(a, "SUCCEEDED");
    awaitStatus(b, "SUCCEEDED");
    awaitStatus(c, "SUCCEEDED");

    JsonPath first = given().queryParam("kind", kindFilter).queryParam("status", "succeeded").queryParam("limit", 2)
        .when().get("/jobs").then().statusCode(200).extract().jsonPath();
    assertThat(first.getList("items.id", String.class)).containsExactly(c, b);
    String cursor = first.getString("nextCursor");
    assertThat(cursor).isNotNull();

    JsonPath second = given().queryParam("kind", kindFilter).queryParam("status", "SUCCEEDED").queryParam("limit", 2)
        .queryParam("cursor", cursor)
        .when().get("/jobs").then().statusCode(200).extract().jsonPath();
    assertThat(second.getList("items.id", String.class).get(0)).isEqualTo(a);
    assertThat(second.getList("items.status", String.class)).containsOnly("SUCCEEDED");

    given().queryParam("kind", "no-such-kind").when().get("/jobs")
        .then().statusCode(200).body("items.size()", equalTo(0)).body("nextCursor", nullValue());
  }

  @Test
  void kinds_are_listed_with_their_parameters_and_defaults() {
    given().when().get("/kinds").then().statusCode(200)
        .body("find { it.name == 'squares' }.parameters.find { it.name == 'limit' }.defaultValue", equalTo(100))
        .body("find { it.name == 'squares' }.parameters.find { it.name == 'limit' }.maximum", equalTo(10000))
        .body("find { it.name == 'squares' }.parameters.find { it.name == 'delayMs' }.defaultValue", equalTo(500));
  }
}
