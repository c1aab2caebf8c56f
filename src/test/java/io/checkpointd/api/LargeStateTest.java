package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitJob;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(LargeStateTest.SmallCap.class)
@WithTestResource(EmbeddedPostgresResource.class)
class LargeStateTest {

  public static class SmallCap implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("checkpointd.checkpoints.max-bytes", "4000", "checkpointd.checkpoints.compress-above", "1000");
    }
  }

  @Test
  void a_state_above_the_threshold_is_stored_compressed_and_reads_back_whole() {
    String id = Jobs.create(
        "{\"kind\":\"counter\",\"params\":{\"iterations\":100000,\"stateBytes\":50000,\"delayMs\":5}}");
    awaitJob(id, Duration.ofSeconds(30), j -> j.getInt("checkpointsWritten") >= 1);
    JsonPath latest = given().get("/jobs/" + id + "/checkpoints/latest").then().statusCode(200).extract().jsonPath();
    assertThat(latest.getString("encoding")).isEqualTo("json+gzip");
    assertThat(latest.getInt("sizeBytes")).isLessThan(4000);
    assertThat(latest.getBoolean("intact")).isTrue();
    assertThat(latest.getString("state.payload")).hasSize(50000);
    given().post("/jobs/" + id + "/cancel").then().statusCode(202);
    awaitStatus(id, "CANCELLED");
  }

  @Test
  void a_state_that_outgrows_the_cap_fails_its_job_with_a_clear_error_and_nothing_else() {
    String big = Jobs.squares(5000, 0, 100);
    String small = Jobs.squares(50, 0, 5);
    JsonPath failed = awaitStatus(big, "FAILED");
    assertThat(failed.getString("error")).contains("exceeds the cap of 4000 bytes", "checkpointd.checkpoints.max-bytes");
    assertThat(awaitStatus(small, "SUCCEEDED").getList("result.data")).hasSize(50);
    given().get("/kinds").then().statusCode(200);
  }
}
