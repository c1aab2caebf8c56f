package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitJob;
import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squares;
import static io.checkpointd.support.Jobs.squaresUpTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.isOneOf;
import static org.hamcrest.Matchers.not;

import io.agroal.api.AgroalDataSource;
import io.checkpointd.model.Sha256;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Inspect, diff, fork, rewind and upgrade: going back to a checkpoint through the HTTP API. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class TimeTravelTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void a_job_forked_from_a_middle_checkpoint_ends_with_the_result_of_an_uninterrupted_run() {
    String parent = pausedSquares(80);
    long middle = retainedSeqs(parent).get(2);

    JsonPath child = given().contentType(ContentType.JSON).header("Idempotency-Key", "fork-" + parent)
        .body("{\"fromSeq\":" + middle + "}")
        .post("/jobs/" + parent + "/fork").then().statusCode(201).extract().jsonPath();
    String childId = child.getString("id");
    assertThat(child.getString("forkedFrom.jobId")).isEqualTo(parent);
    assertThat(child.getLong("forkedFrom.seq")).isEqualTo(middle);
    assertThat(child.getLong("lastCheckpoint.seq")).isEqualTo(1);
    // the same fork again with the same key is the same job
    given().contentType(ContentType.JSON).header("Idempotency-Key", "fork-" + parent).body("{\"fromSeq\":" + middle + "}")
        .post("/jobs/" + parent + "/fork").then().statusCode(200).body("id", equalTo(childId));

    assertThat(awaitStatus(childId, "SUCCEEDED").getList("result.data", Long.class)).isEqualTo(squaresUpTo(80));
    assertThat(Jobs.get(parent).getString("status")).isEqualTo("PAUSED");
    assertThat(given().get("/jobs/" + parent + "/events").then().extract().jsonPath().getList("type", String.class)).contains("FORKED");
    assertThat(given().get("/jobs/" + childId + "/events").then().extract().jsonPath().getString("find { it.type == 'CREATED' }.detail"))
        .contains(parent);
  }

  @Test
  void a_succeeded_job_that_retains_its_checkpoints_can_be_forked() {
    String id = Jobs.create("{\"kind\":\"squares\",\"params\":{\"limit\":30,\"delayMs\":0},"
        + "\"checkpoint\":{\"everyIterations\":4,\"retainAfterSuccess\":true}}");
    JsonPath done = awaitStatus(id, "SUCCEEDED");
    assertThat(done.getBoolean("checkpoint.retainAfterSuccess")).isTrue();
    List<Long> seqs = retainedSeqs(id);
    assertThat(seqs).hasSize(3);

    String child = given().contentType(ContentType.JSON).body("{\"fromSeq\":" + seqs.get(2) + "}")
        .post("/jobs/" + id + "/fork").then().statusCode(201).extract().path("id");
    assertThat(awaitStatus(child, "SUCCEEDED").getList("result.data", Long.class)).isEqualTo(squaresUpTo(30));
    // the default still deletes them
    String plain = squares(10, 0, 2);
    awaitStatus(plain, "SUCCEEDED");
    assertThat(retainedSeqs(plain)).isEmpty();
  }

  @Test
  void a_fork_with_a_state_patch_and_a_parameter_override_gives_the_result_the_patch_implies() {
    String parent = pausedSquares(1000);
    long seq = retainedSeqs(parent).get(0);
    long counter = given().get("/jobs/" + parent + "/checkpoints/" + seq).then().extract().jsonPath().getLong("state.counter");

    String childId = given().contentType(ContentType.JSON)
        .body("{\"fromSeq\":" + seq + ",\"params\":{\"limit\":" + (counter + 5) + ",\"delayMs\":0},"
            + "\"statePatch\":[{\"op\":\"replace\",\"path\":\"/data/0\",\"value\":7}]}")
        .post("/jobs/" + parent + "/fork").then().statusCode(201).extract().path("id");

    List<Long> expected = new ArrayList<>(squaresUpTo(counter + 5));
    expected.set(0, 7L);
    assertThat(awaitStatus(childId, "SUCCEEDED").getList("result.data", Long.class)).isEqualTo(expected);

    // a state the kind cannot load is refused before any job exists
    given().contentType(ContentType.JSON)
        .body("{\"statePatch\":[{\"op\":\"replace\",\"path\":\"/counter\",\"value\":\"many\"}]}")
        .post("/jobs/" + parent + "/fork").then().statusCode(422)
        .body("type", equalTo("/problems/invalid-state")).body("detail", containsString("many"));
    // a field taken away: the detail names what a state has, not the JVM's internals
    given().contentType(ContentType.JSON).body("{\"statePatch\":[{\"op\":\"remove\",\"path\":\"/data\"}]}")
        .post("/jobs/" + parent + "/fork").then().statusCode(422)
        .body("type", equalTo("/problems/invalid-state"))
        .body("detail", allOf(containsString("missing or null"), containsString("[counter, data]"), not(containsString("Cannot invoke"))));
    given().contentType(ContentType.JSON).body("{\"fromSeq\":99999}")
        .post("/jobs/" + parent + "/fork").then().statusCode(404).body("type", equalTo("/problems/no-checkpoint"));
    given().contentType(ContentType.JSON).body("{\"params\":{\"limit\":-1}}")
        .post("/jobs/" + parent + "/fork").then().statusCode(400);
  }

  @Test
  void a_paused_job_rewound_two_checkpoints_resumes_from_there_to_the_exact_result() {
    String id = pausedSquares(300);
    // a job that may be running is not rewound
    given().post("/jobs/" + id + "/resume").then().statusCode(202);
    given().contentType(ContentType.JSON).body("{\"toSeq\":1}").post("/jobs/" + id + "/rewind")
        .then().statusCode(409).body("type", equalTo("/problems/command-refused"));
    given().post("/jobs/" + id + "/pause").then().statusCode(isOneOf(200, 202));
    awaitStatus(id, "PAUSED");
    List<Long> seqs = retainedSeqs(id);
    long newest = seqs.get(0);
    long back = seqs.get(2);
    long backIteration = given().get("/jobs/" + id + "/checkpoints/" + back).then().extract().jsonPath().getLong("iteration");

    JsonPath rewound = given().contentType(ContentType.JSON).body("{\"toSeq\":" + back + "}").post("/jobs/" + id + "/rewind")
        .then().statusCode(200).extract().jsonPath();
    assertThat(rewound.getString("status")).isEqualTo("PAUSED");
    assertThat(rewound.getLong("lastCheckpoint.seq")).isEqualTo(back);
    assertThat(rewound.getLong("progress.iteration")).isEqualTo(backIteration);

    // the newer two are set aside: not listed by default, still readable
    assertThat(retainedSeqs(id)).containsExactly(back);
    JsonPath all = given().queryParam("include", "set-aside").get("/jobs/" + id + "/checkpoints").then().statusCode(200)
        .extract().jsonPath();
    assertThat(all.getList("seq", Long.class)).containsExactly(newest, newest - 1, back);
    assertThat(all.getList("setAside", Boolean.class)).containsExactly(true, true, null);
    given().get("/jobs/" + id + "/checkpoints/" + newest).then().statusCode(200).body("intact", equalTo(true));
    given().contentType(ContentType.JSON).body("{\"toSeq\":99999}").post("/jobs/" + id + "/rewind")
        .then().statusCode(404);

    given().post("/jobs/" + id + "/resume").then().statusCode(202);
    assertThat(awaitStatus(id, "SUCCEEDED").getList("result.data", Long.class)).isEqualTo(squaresUpTo(300));
    List<String> events = given().get("/jobs/" + id + "/events").then().extract().jsonPath().getList("type", String.class);
    assertThat(events).containsSubsequence("PAUSED", "REWOUND", "RESUMED", "STARTED", "SUCCEEDED");
  }

  private static String pausedSquares(int limit) {
    String id = squares(limit, 20, 1);
    awaitJob(id, Duration.ofSeconds(30), j -> j.getLong("lastCheckpoint.seq") >= 10);
    given().post("/jobs/" + id + "/pause").then().statusCode(202);
    awaitStatus(id, "PAUSED");
    return id;
  }

  /** The job's retained checkpoints, newest first. */
  private static List<Long> retainedSeqs(String id) {
    return given().get("/jobs/" + id + "/checkpoints").then().statusCode(200).extract().jsonPath().getList("seq", Long.class);
  }

  @Test
  void a_kind_at_state_version_2_resumes_a_version_1_checkpoint_through_its_upgrade_step() throws SQLException {
    // as the previous release would have left them: paused jobs with version 1 checkpoints
    String good = pausedTallyAtVersion1(1000, "{\"n\":600,\"total\":179700}");
    String broken = pausedTallyAtVersion1(1000, "{\"n\":\"many\",\"total\":1}");

    JsonPath report = given().get("/kinds/tally/compatibility").then().statusCode(200).extract().jsonPath();
    assertThat(report.getInt("stateVersion")).isEqualTo(2);
    assertThat(report.getLong("checkpoints")).isEqualTo(2);
    assertThat(report.getLong("loadAsIs")).isZero();
    assertThat(report.getLong("needUpgrade")).isEqualTo(1);
    assertThat(report.getLong("fail")).isEqualTo(1);
    assertThat(report.getString("failures[0].jobId")).isEqualTo(broken);
    assertThat(report.getString("failures[0].reason")).contains("upgrade step").contains("integers n and total");

    given().post("/jobs/" + good + "/resume").then().statusCode(202);
    JsonPath done = awaitStatus(good, "SUCCEEDED");
    assertThat(done.getLong("result")).isEqualTo(999L * 1000 / 2);

    // the succeeded job's checkpoints are gone; the broken one is still counted
    given().get("/kinds/tally/compatibility").then().statusCode(200)
        .body("checkpoints", equalTo(1)).body("fail", equalTo(1)).body("needUpgrade", equalTo(0));
    given().get("/kinds/nosuchkind/compatibility").then().statusCode(400);
  }

  private String pausedTallyAtVersion1(long limit, String state) throws SQLException {
    UUID id = UUID.randomUUID();
    byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
    long n = 600;
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement job = c.prepareStatement(
          "insert into job (id, kind, params, checkpoint_every_iterations, status, total, iteration, last_checkpoint_seq,"
              + " last_checkpoint_iteration, last_checkpoint_at) values (?, 'tally', ?::jsonb, 100, 'PAUSED', ?, ?, 1, ?, now())")) {
        job.setObject(1, id);
        job.setString(2, "{\"limit\":" + limit + ",\"stepMs\":0}");
        job.setLong(3, limit);
        job.setLong(4, n);
        job.setLong(5, n);
        job.executeUpdate();
      }
      try (PreparedStatement checkpoint = c.prepareStatement(
          "insert into checkpoint (job_id, slot, seq, iteration, state_version, encoding, state, size_bytes, checksum)"
              + " values (?, 1, 1, ?, 1, 'json', ?, ?, ?)")) {
        checkpoint.setObject(1, id);
        checkpoint.setLong(2, n);
        checkpoint.setBytes(3, bytes);
        checkpoint.setInt(4, bytes.length);
        checkpoint.setString(5, Sha256.hex(bytes));
        checkpoint.executeUpdate();
      }
    }
    return id.toString();
  }

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
