package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitJob;
import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squares;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inspect, diff, fork, rewind and upgrade: going back to a checkpoint through the HTTP API. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class TimeTravelTest {

  @Test
  void the_diff_between_two_squares_checkpoints_appends_the_squares_in_between() {
    String id = squares(1000, 20, 1);
    awaitJob(id, Duration.ofSeconds(30), j -> j.getLong("lastCheckpoint.seq") >= 5);
    given().post("/jobs/" + id + "/pause").then().statusCode(202);
    awaitStatus(id, "PAUSED");
    List<Long> seqs = given().get("/jobs/" + id + "/checkpoints").then().statusCode(200).extract().jsonPath().getList("seq", Long.class);
    long newest = seqs.get(0);
    long oldest = seqs.get(seqs.size() - 1);
    assertThat(newest - oldest).isEqualTo(2);

    JsonPath one = given().get("/jobs/" + id + "/checkpoints/" + oldest).then().statusCode(200).extract().jsonPath();
    assertThat(one.getLong("seq")).isEqualTo(oldest);
    assertThat(one.getBoolean("intact")).isTrue();
    assertThat(one.getInt("stateVersion")).isEqualTo(1);
    long counter = one.getLong("state.counter");

    JsonPath diff = given().queryParam("diff", oldest).get("/jobs/" + id + "/checkpoints/" + newest)
        .then().statusCode(200).extract().jsonPath();
    assertThat(diff.getLong("diffFrom")).isEqualTo(oldest);
    List<Map<String, Object>> patch = diff.getList("patch");
    assertThat(patch).containsExactlyInAnyOrder(
        Map.of("op", "replace", "path", "/counter", "value", (int) counter + 2),
        Map.of("op", "add", "path", "/data/-", "value", (int) (counter * counter)),
        Map.of("op", "add", "path", "/data/-", "value", (int) ((counter + 1) * (counter + 1))));

    given().queryParam("diff", "prev").get("/jobs/" + id + "/checkpoints/" + newest)
        .then().statusCode(200).body("diffFrom", equalTo((int) newest - 1)).body("patch.size()", equalTo(2));
    given().get("/jobs/" + id + "/checkpoints/" + (oldest - 1)).then().statusCode(404).body("type", equalTo("/problems/no-checkpoint"));
    given().queryParam("diff", "yesterday").get("/jobs/" + id + "/checkpoints/" + newest).then().statusCode(400);
  }
}
