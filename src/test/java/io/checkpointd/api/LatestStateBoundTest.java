package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitJob;
import static io.checkpointd.support.Jobs.awaitStatus;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class LatestStateBoundTest {

  @Test
  void a_state_larger_than_the_api_shows_answers_a_413_problem_pointing_at_the_metadata() {
    // 5 MiB of payload: over the default 4 MiB shown, far under what is stored (gzipped, tiny)
    String id = Jobs.create("{\"kind\":\"counter\",\"params\":{\"iterations\":1000,\"stateBytes\":5242880,"
        + "\"delayMs\":200},\"checkpoint\":{\"everyIterations\":1}}");
    awaitJob(id, Duration.ofSeconds(60), j -> j.getInt("checkpointsWritten") >= 1);

    given().get("/jobs/" + id + "/checkpoints/latest").then()
        .statusCode(413)
        .contentType(startsWith("application/problem+json"))
        .body("type", containsString("state-too-large-to-show"))
        .body("detail", containsString("GET /jobs/" + id + "/checkpoints"));
    given().get("/jobs/" + id + "/checkpoints").then().statusCode(200);

    given().post("/jobs/" + id + "/cancel").then().statusCode(202);
    awaitStatus(id, "CANCELLED");
  }
}
