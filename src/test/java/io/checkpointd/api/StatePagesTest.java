package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitJob;
import static io.checkpointd.support.Jobs.awaitStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.checkpointd.model.Sha256;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** A state too large to show whole is read in pages, each within the response budget. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class StatePagesTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void an_array_in_the_state_is_read_page_by_page_following_next() {
    String id = Jobs.create("{\"kind\":\"squares\",\"params\":{\"limit\":40,\"delayMs\":0},"
        + "\"checkpoint\":{\"everyIterations\":1,\"retainAfterSuccess\":true}}");
    awaitStatus(id, "SUCCEEDED");
    JsonPath newest = given().get("/jobs/" + id + "/checkpoints").then().extract().jsonPath();
    long seq = newest.getLong("[0].seq");
    int n = newest.getInt("[0].iteration");
    assertThat(n).isGreaterThan(30);

    JsonPath page = given().queryParam("at", "/data").queryParam("offset", 10).queryParam("limit", 5)
        .get("/jobs/" + id + "/checkpoints/" + seq + "/state").then().statusCode(200).extract().jsonPath();
    assertThat(page.getString("type")).isEqualTo("array");
    assertThat(page.getInt("size")).isEqualTo(n);
    assertThat(page.getList("items", Long.class)).containsExactly(100L, 121L, 144L, 169L, 196L);

    List<Long> all = new ArrayList<>();
    String next = "/jobs/" + id + "/checkpoints/" + seq + "/state?at=/data&limit=15";
    int pages = 0;
    while (next != null) {
      JsonPath p = given().urlEncodingEnabled(false).get(next).then().statusCode(200).extract().jsonPath();
      all.addAll(p.getList("items", Long.class));
      next = p.getString("next");
      pages++;
    }
    assertThat(pages).isEqualTo((n + 14) / 15);
    assertThat(all).isEqualTo(Jobs.squaresUpTo(n));

    given().queryParam("at", "/data/7").get("/jobs/" + id + "/checkpoints/" + seq + "/state").then().statusCode(200)
        .body("type", equalTo("number")).body("value", equalTo(49));
    JsonPath root = given().get("/jobs/" + id + "/checkpoints/" + seq + "/state").then().statusCode(200).extract().jsonPath();
    assertThat(root.getString("type")).isEqualTo("object");
    assertThat(root.getList("items.data", Long.class)).isEqualTo(Jobs.squaresUpTo(n));
  }

  @Test
  void a_state_too_large_to_render_is_read_in_parts_and_a_part_too_large_is_named_not_sent() {
    // 5 MiB of payload in one string: stored gzipped (tiny), far over what a response renders
    String id = Jobs.create("{\"kind\":\"counter\",\"params\":{\"iterations\":1000,\"stateBytes\":5242880,"
        + "\"delayMs\":200},\"checkpoint\":{\"everyIterations\":1}}");
    long seq = awaitJob(id, Duration.ofSeconds(60), j -> j.getInt("checkpointsWritten") >= 1).getLong("lastCheckpoint.seq");
    given().post("/jobs/" + id + "/pause");
    awaitStatus(id, "PAUSED");
    String state = "/jobs/" + id + "/checkpoints/" + seq + "/state";

    given().get("/jobs/" + id + "/checkpoints/" + seq).then().statusCode(413)
        .body("detail", containsString("/state"));
    JsonPath root = given().get(state).then().statusCode(200).extract().jsonPath();
    assertThat(root.getInt("size")).isEqualTo(2);
    assertThat(root.getLong("items.count")).isGreaterThanOrEqualTo(seq);
    // the page ends before the member it has no room for; alone on the next page it is named, not sent
    assertThat(root.getMap("items")).doesNotContainKey("payload");
    assertThat(root.getString("next")).contains("offset=1");
    JsonPath rest = given().urlEncodingEnabled(false).get(root.getString("next")).then().statusCode(200).extract().jsonPath();
    assertThat(rest.getMap("items")).containsEntry("payload", null);
    assertThat(rest.getList("omitted", String.class)).containsExactly("/payload");
    assertThat(rest.getString("next")).isNull();
    given().queryParam("at", "/payload").get(state).then().statusCode(413).contentType("application/problem+json")
        .body("detail", containsString("'/payload'"));
  }

  @Test
  void a_page_ends_before_an_element_it_has_no_room_for() throws Exception {
    int budget = ConfigProvider.getConfig().getValue("checkpointd.checkpoints.max-render-bytes", Integer.class);
    String id = Jobs.create("{\"kind\":\"squares\",\"params\":{\"limit\":3,\"delayMs\":0},"
        + "\"checkpoint\":{\"everyIterations\":1,\"retainAfterSuccess\":true}}");
    awaitStatus(id, "SUCCEEDED");
    // a state with elements of 0.6, 0.6, 1.2 and 0 budgets, stored as a previous release or a worker would
    String big = "x".repeat(budget * 6 / 10);
    String state = "{\"rows\":[\"" + big + "\",\"" + big + "\",\"" + big + big + "\",\"small\"]}";
    insertCheckpoint(UUID.fromString(id), 1000, state);
    String url = "/jobs/" + id + "/checkpoints/1000/state";

    JsonPath first = given().queryParam("at", "/rows").get(url).then().statusCode(200).extract().jsonPath();
    assertThat(first.getList("items", String.class)).containsExactly(big);
    assertThat(first.getInt("size")).isEqualTo(4);
    assertThat(first.getString("next")).contains("offset=1");
    JsonPath second = given().queryParam("at", "/rows").queryParam("offset", 1).get(url).then().statusCode(200).extract().jsonPath();
    assertThat(second.getList("items", String.class)).containsExactly(big);
    JsonPath third = given().queryParam("at", "/rows").queryParam("offset", 2).get(url).then().statusCode(200).extract().jsonPath();
    assertThat(third.getList("items", String.class)).containsExactly(null, "small");
    assertThat(third.getList("omitted", String.class)).containsExactly("/rows/2");
    assertThat(third.getString("next")).isNull();
  }

  @Test
  void bad_paging_parameters_are_400_problems() {
    String id = Jobs.create("{\"kind\":\"squares\",\"params\":{\"limit\":3,\"delayMs\":0},"
        + "\"checkpoint\":{\"everyIterations\":1,\"retainAfterSuccess\":true}}");
    awaitStatus(id, "SUCCEEDED");
    long seq = given().get("/jobs/" + id + "/checkpoints").then().extract().jsonPath().getLong("[0].seq");
    String url = "/jobs/" + id + "/checkpoints/" + seq + "/state";
    for (String[] bad : new String[][] {{"at", "data"}, {"at", "/nothing"}, {"limit", "0"}, {"limit", "10001"},
        {"limit", "many"}, {"offset", "-1"}}) {
      given().queryParam(bad[0], bad[1]).get(url).then().statusCode(400).contentType("application/problem+json")
          .body("errors[0].field", equalTo(bad[0]));
    }
    given().get("/jobs/" + id + "/checkpoints/99999/state").then().statusCode(404).contentType("application/problem+json");
    given().get("/jobs/" + UUID.randomUUID() + "/checkpoints/1/state").then().statusCode(404)
        .body("detail", containsString("no job"));
    given().get(url).then().statusCode(200).body("next", nullValue());
  }

  private void insertCheckpoint(UUID job, long seq, String state) throws Exception {
    byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "insert into checkpoint (job_id, slot, seq, iteration, state_version, encoding, state, size_bytes, checksum)"
                + " values (?, -1000, ?, 3, 1, 'json', ?, ?, ?)")) {
      ps.setObject(1, job);
      ps.setLong(2, seq);
      ps.setBytes(3, bytes);
      ps.setInt(4, bytes.length);
      ps.setString(5, Sha256.hex(bytes));
      ps.executeUpdate();
    }
  }
}
