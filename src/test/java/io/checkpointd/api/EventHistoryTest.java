package io.checkpointd.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job's history is bounded: its newest events are kept, the oldest give way. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class EventHistoryTest {

  @Test
  void a_job_keeps_its_newest_hundred_events_and_drops_the_oldest() {
    // an external kind that no worker serves: the job stays where the commands put it
    String kind = "history-" + System.nanoTime() % 100000;
    given().contentType(ContentType.JSON).body("{\"description\":\"nobody runs it\",\"parameters\":[]}")
        .put("/kinds/" + kind).then().statusCode(201);
    String id = Jobs.create("{\"kind\":\"" + kind + "\"}");
    for (int i = 0; i < 60; i++) {
      given().post("/jobs/" + id + "/pause").then().statusCode(200);
      given().post("/jobs/" + id + "/resume").then().statusCode(202);
    }
    given().post("/jobs/" + id + "/cancel").then().statusCode(200);

    List<String> types = given().get("/jobs/" + id + "/events").then().statusCode(200).extract().jsonPath().getList("type");
    // 1 CREATED + 120 commands + CANCELLED were written; each write keeps the 100 before it
    assertThat(types).hasSizeBetween(100, 101);
    assertThat(types).doesNotContain("CREATED");
    assertThat(types.get(types.size() - 1)).isEqualTo("CANCELLED");
    assertThat(types.get(types.size() - 2)).isEqualTo("RESUMED");
  }
}
