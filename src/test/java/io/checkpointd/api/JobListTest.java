package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squares;
import static io.checkpointd.support.Jobs.squaresUpTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class JobListTest {

  @Test
  void list_items_leave_the_result_out_and_the_job_itself_carries_it() {
    String id = squares(20, 0, 5);
    awaitStatus(id, "SUCCEEDED");

    List<Map<String, Object>> items = given().queryParam("status", "SUCCEEDED").queryParam("limit", 500)
        .when().get("/jobs").then().statusCode(200).extract().path("items");
    Map<String, Object> item = items.stream().filter(i -> id.equals(i.get("id"))).findFirst().orElseThrow();
    assertThat(item).containsEntry("status", "SUCCEEDED").containsEntry("result", null);

    List<Integer> data = given().when().get("/jobs/" + id).then().statusCode(200).extract().path("result.data");
    assertThat(data.stream().map(Integer::longValue).toList()).isEqualTo(squaresUpTo(20));
  }
}
