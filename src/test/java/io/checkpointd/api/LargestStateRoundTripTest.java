package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitJob;
import static io.checkpointd.support.Jobs.awaitStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class LargestStateRoundTripTest {

  @Test
  void the_largest_state_the_counter_kind_accepts_is_read_back_when_its_job_resumes() {
    // 64 MiB, the counter kind's cap: over Jackson's default 20,000,000-char string limit
    String id = Jobs.create("{\"kind\":\"counter\",\"params\":{\"iterations\":1000,\"stateBytes\":67108864,"
        + "\"delayMs\":200},\"checkpoint\":{\"everyIterations\":1}}");
    awaitJob(id, Duration.ofSeconds(60), j -> j.getInt("checkpointsWritten") >= 1);
    given().post("/jobs/" + id + "/pause").then().statusCode(202);
    long pausedAt = awaitStatus(id, "PAUSED").getLong("progress.iteration");
    given().post("/jobs/" + id + "/resume").then().statusCode(202);

    var job = awaitJob(id, Duration.ofSeconds(60),
        j -> "FAILED".equals(j.getString("status")) || j.getLong("progress.iteration") >= pausedAt + 2);

    assertThat(job.getString("error")).isNull();
    assertThat(job.getString("status")).isEqualTo("RUNNING");
    given().post("/jobs/" + id + "/cancel").then().statusCode(202);
    awaitStatus(id, "CANCELLED");
  }
}
