package io.checkpointd.observe;

import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squares;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.checkpointd.engine.WorkerProtocol;
import io.checkpointd.model.CheckpointWrite;
import io.checkpointd.model.Lease;
import io.checkpointd.model.LeaseLostException;
import io.checkpointd.model.Sha256;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class MetricsTest {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$");

  @Inject
  DataSource dataSource;

  @Inject
  WorkerProtocol protocol;

  @Test
  void checkpoints_committed_moves_exactly_as_the_jobs_checkpoints_and_nothing_is_at_risk_when_nothing_runs()
      throws Exception {
    awaitNothingRunning();
    Map<String, Double> start = scrape();
    double before = start.get("checkpointd_checkpoints_committed_total");
    long seqsBefore = sumOfNewestSeqs();

    String done = squares(30, 0, 3); // a checkpoint every 3 iterations, then it succeeds
    String paused = squares(1000, 10, 4);
    awaitStatus(done, "SUCCEEDED");
    await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/jobs/" + paused).path("progress.iteration"),
        it -> ((Integer) it) >= 20);
    given().post("/jobs/" + paused + "/pause").then().statusCode(202);
    awaitStatus(paused, "PAUSED");
    awaitNothingRunning();

    Map<String, Double> after = scrape();
    long seqsAfter = sumOfNewestSeqs();
    assertThat(after.get("checkpointd_checkpoints_committed_total") - before)
        .as("checkpoints committed = the jobs' checkpoint seqs moved by").isEqualTo((double) (seqsAfter - seqsBefore));
    // the paused job's newest checkpoint in the checkpoint table is the job's own count
    assertThat(newestStoredSeq(paused)).isEqualTo(Long.parseLong(given().get("/jobs/" + paused).path("checkpointsWritten").toString()));

    assertThat(after.get("checkpointd_work_at_risk_iterations")).isZero();
    assertThat(after.get("checkpointd_work_at_risk_seconds")).isZero();
    assertThat(after.get("checkpointd_engine_runners")).isZero();
    // counted since the service started, so other tests' refused writes show too: none during this run
    assertThat(after.get("checkpointd_zombie_writes_prevented_total") - start.get("checkpointd_zombie_writes_prevented_total"))
        .isZero();
    assertThat(after.get("checkpointd_checkpoints_written_bytes_total")).isPositive();
    assertThat(after.get("checkpointd_checkpoint_batch_size_count")).isPositive();
    assertThat(after.get("checkpointd_checkpoint_commit_seconds_count")).isPositive();
    assertThat(after.get("checkpointd_step_seconds_count{kind=\"squares\"}")).isGreaterThanOrEqualTo(50);
    assertThat(after.get("checkpointd_claim_seconds_count")).isPositive();
    assertThat(after).containsKey("checkpointd_takeovers_total{cause=\"lease_expired\"}");

    // the cluster-wide job counts come from the database, refreshed in the background
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Map<String, Double> m = scrape();
      assertThat(m.get("checkpointd_jobs{kind=\"squares\",status=\"PAUSED\"}")).isGreaterThanOrEqualTo(1);
      assertThat(m.get("checkpointd_jobs{kind=\"squares\",status=\"SUCCEEDED\"}")).isGreaterThanOrEqualTo(1);
      assertThat(m.get("checkpointd_queue_depth")).isZero();
    });
  }

  @Test
  void work_at_risk_grows_while_a_job_runs_between_its_checkpoints() {
    String id = squares(400, 20, 1000); // its first checkpoint only when paused
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Map<String, Double> m = scrape();
      assertThat(m.get("checkpointd_work_at_risk_iterations")).isGreaterThanOrEqualTo(10);
      assertThat(m.get("checkpointd_work_at_risk_seconds")).isGreaterThan(0.1);
      assertThat(m.get("checkpointd_engine_runners")).isGreaterThanOrEqualTo(1);
    });
    given().post("/jobs/" + id + "/cancel").then().statusCode(202);
    awaitStatus(id, "CANCELLED");
    awaitNothingRunning();
    assertThat(scrape().get("checkpointd_work_at_risk_iterations")).isZero();
  }

  @Test
  void an_external_workers_progress_beyond_its_checkpoint_is_work_at_risk_until_it_checkpoints() {
    String kind = "metrics-ext-" + UUID.randomUUID().toString().substring(0, 8);
    given().contentType("application/json").body("{\"description\":\"test\",\"parameters\":[]}")
        .put("/kinds/" + kind).then().statusCode(201);
    String id = given().contentType("application/json").body("{\"kind\":\"" + kind + "\"}")
        .post("/jobs").then().statusCode(201).extract().path("id");
    String token = given().contentType("application/json")
        .body("{\"worker\":\"metrics-w\",\"kinds\":[\"" + kind + "\"],\"waitSeconds\":5}")
        .post("/workers/claim").then().statusCode(200).extract().path("lease.token");
    given().contentType("application/json").body("{\"lease\":\"" + token + "\",\"iteration\":25}")
        .post("/jobs/" + id + "/heartbeat").then().statusCode(200);
    String risk = "checkpointd_external_work_at_risk_iterations";
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(scrape().get(risk)).isGreaterThanOrEqualTo(25);
      assertThat(scrape().get("checkpointd_external_work_at_risk_seconds")).isGreaterThan(0);
    });
    // a checkpoint at iteration 25 makes it durable: nothing of this job is at risk any more
    given().contentType("application/json")
        .body("{\"lease\":\"" + token + "\",\"seq\":1,\"iteration\":25,\"state\":{\"n\":25}}")
        .post("/jobs/" + id + "/checkpoints").then().statusCode(201);
    given().post("/jobs/" + id + "/cancel").then().statusCode(202);
    given().contentType("application/json").body("{\"lease\":\"" + token + "\",\"iteration\":25}")
        .post("/jobs/" + id + "/release").then().statusCode(200);
    awaitNothingRunning();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape().get(risk)).isZero());
  }

  @Test
  void a_checkpoint_written_under_a_stale_lease_is_refused_and_counted_as_a_zombie_write_prevented() throws Exception {
    String id = squares(10, 60_000, 1); // waits a minute before its first step
    Jobs.awaitStatus(id, "RUNNING");
    double before = scrape().get("checkpointd_zombie_writes_prevented_total");

    byte[] state = "{}".getBytes(StandardCharsets.UTF_8);
    CompletableFuture<?> write = protocol.checkpoint(new Lease(UUID.fromString(id), "a-worker-presumed-dead", 0),
        new CheckpointWrite(1, 1, 1, "json", state, Sha256.hex(state)));

    assertThatThrownBy(write::join).hasCauseInstanceOf(LeaseLostException.class);
    assertThat(scrape().get("checkpointd_zombie_writes_prevented_total")).isEqualTo(before + 1);
    given().post("/jobs/" + id + "/cancel").then().statusCode(202);
    awaitStatus(id, "CANCELLED");
  }

  @Test
  void a_job_whose_owner_stopped_renewing_its_lease_is_counted_as_a_takeover_by_lease_expiry() throws Exception {
    String id = squares(10, 60_000, 1);
    Jobs.awaitStatus(id, "RUNNING");
    given().post("/jobs/" + id + "/pause").then().statusCode(202);
    awaitStatus(id, "PAUSED"); // at iteration 0: no checkpoint, so no recent sign of life either
    String takeovers = "checkpointd_takeovers_total{cause=\"lease_expired\"}";
    double before = scrape().get(takeovers);

    // as if a worker elsewhere had claimed it and died a minute ago
    execute("update job set status = 'RUNNING', owner = 'a-dead-worker', epoch = epoch + 1,"
        + " lease_expires_at = now() - interval '1 minute' where id = '" + id + "'");

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape().get(takeovers)).isEqualTo(before + 1));
    given().post("/jobs/" + id + "/cancel");
    await().atMost(Duration.ofSeconds(20)).until(() -> "CANCELLED".equals(Jobs.get(id).getString("status")));
  }

  private void execute(String sql) throws Exception {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  private void awaitNothingRunning() {
    // Test classes share one database: jobs other classes left active (a long one, or one of an
    // external kind that no worker serves) are cancelled, so that "nothing runs" can hold here.
    for (String status : List.of("RUNNING", "QUEUED")) {
      List<String> left = given().get("/jobs?limit=500&status=" + status).then().extract().jsonPath().getList("items.id");
      left.forEach(id -> given().post("/jobs/" + id + "/cancel"));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from job where status in ('RUNNING', 'QUEUED')") == 0);
  }

  private long sumOfNewestSeqs() throws Exception {
    return count("select coalesce(sum(last_checkpoint_seq), 0) from job");
  }

  private long newestStoredSeq(String id) throws Exception {
    return count("select coalesce(max(seq), 0) from checkpoint where job_id = '" + id + "'");
  }

  private long count(String sql) throws Exception {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The scrape as name{labels} → value, labels in the order Prometheus writes them. */
  static Map<String, Double> scrape() {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Map<String, Double> samples = new HashMap<>();
    for (String line : List.of(text.split("\n"))) {
      Matcher m = SAMPLE.matcher(line);
      if (!line.startsWith("#") && m.matches()) {
        samples.put(m.group(1), Double.parseDouble(m.group(2)));
      }
    }
    return samples;
  }
}
