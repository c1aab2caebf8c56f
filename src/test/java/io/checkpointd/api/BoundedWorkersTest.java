package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squares;
import static io.checkpointd.support.Jobs.squaresUpTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(BoundedWorkersTest.TwoWorkers.class)
@WithTestResource(EmbeddedPostgresResource.class)
class BoundedWorkersTest {

  public static class TwoWorkers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("checkpointd.workers", "2");
    }
  }

  @Test
  void no_more_jobs_run_at_once_than_there_are_workers_and_the_rest_wait_queued() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      // slow enough (2 s each) that creating all five takes far less than one job
      ids.add(squares(10, 200, 5));
    }
    int maxRunning = 0;
    boolean sawQueued = false;
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      List<String> statuses = given().queryParam("limit", 500).when().get("/jobs").then().extract().path("items.status");
      maxRunning = Math.max(maxRunning, (int) statuses.stream().filter("RUNNING"::equals).count());
      sawQueued |= statuses.contains("QUEUED");
      if (statuses.stream().allMatch("SUCCEEDED"::equals)) {
        break;
      }
    }
    assertThat(maxRunning).isEqualTo(2);
    assertThat(sawQueued).isTrue();
    for (String id : ids) {
      assertThat(awaitStatus(id, "SUCCEEDED").getList("result.data", Long.class)).isEqualTo(squaresUpTo(10));
    }
  }
}
