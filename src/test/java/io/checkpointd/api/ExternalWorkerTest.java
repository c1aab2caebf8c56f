package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker protocol over HTTP, driven as an external worker would (curl could). */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class ExternalWorkerTest {

  private static final AtomicInteger KINDS = new AtomicInteger();
  private static final String PARAMS =
      "[{\"name\":\"limit\",\"type\":\"integer\",\"defaultValue\":10,\"minimum\":0,\"maximum\":1000,\"description\":\"how many\"},"
          + "{\"name\":\"scale\",\"type\":\"number\",\"defaultValue\":1.5,\"minimum\":0,\"maximum\":10}]";

  private String kind;

  @BeforeEach
  void aFreshKind() {
    kind = "ext-" + System.nanoTime() % 100000 + "-" + KINDS.incrementAndGet();
    declare(kind, PARAMS).then().statusCode(201).body("runs", org.hamcrest.Matchers.equalTo("external"));
  }

  /** No worker serves this test's kind after it: its unfinished jobs must not stay queued for others' tests. */
  @org.junit.jupiter.api.AfterEach
  void cancelWhatIsLeft() {
    List<String> ids = given().get("/jobs?kind=" + kind + "&limit=500").then().extract().jsonPath().getList("items.id");
    ids.forEach(id -> given().post("/jobs/" + id + "/cancel"));
  }

  private static Response declare(String name, String parameters) {
    return given().contentType(ContentType.JSON)
        .body("{\"description\":\"a test kind\",\"parameters\":" + parameters + ",\"totalParam\":\"limit\"}")
        .put("/kinds/" + name);
  }

  private String job(String params) {
    return Jobs.create("{\"kind\":\"" + kind + "\",\"params\":" + params + ",\"checkpoint\":{\"everyIterations\":2}}");
  }

  private JsonPath claim(String worker, double wait) {
    Response r = given().contentType(ContentType.JSON)
        .body("{\"worker\":\"" + worker + "\",\"kinds\":[\"" + kind + "\"],\"waitSeconds\":" + wait + "}")
        .post("/workers/claim");
    return r.statusCode() == 204 ? null : r.then().statusCode(200).extract().jsonPath();
  }

  private static Response post(String id, String what, String body) {
    return given().contentType(ContentType.JSON).body(body).post("/jobs/" + id + "/" + what);
  }

  private static String checkpoint(String token, int seq, int iteration, String state) {
    return "{\"lease\":\"" + token + "\",\"seq\":" + seq + ",\"iteration\":" + iteration + ",\"state\":" + state + "}";
  }

  @Test
  void an_external_kind_is_listed_validated_like_a_built_in_and_redeclared_harmlessly() {
    declare(kind, PARAMS).then().statusCode(200);
    List<Map<String, Object>> kinds = given().get("/kinds").then().extract().jsonPath().getList("findAll { it.name == '" + kind + "' }");
    assertThat(kinds).singleElement().satisfies(k -> assertThat(k).containsEntry("runs", "external"));
    given().get("/kinds").then().body("find { it.name == 'squares' }.runs", org.hamcrest.Matchers.equalTo("in-process"));

    given().contentType(ContentType.JSON).body("{\"kind\":\"" + kind + "\",\"params\":{\"limit\":5000}}").post("/jobs")
        .then().statusCode(400).contentType("application/problem+json")
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("params.limit"));
    String id = job("{\"limit\":7}");
    JsonPath created = Jobs.get(id);
    assertThat(created.getLong("progress.total")).as("from totalParam").isEqualTo(7);
    assertThat(created.getDouble("params.scale")).as("defaults filled in").isEqualTo(1.5);
  }

  @Test
  void a_built_in_name_or_a_change_to_a_kind_in_use_is_a_conflict() {
    declare("squares", PARAMS).then().statusCode(409).contentType("application/problem+json")
        .body("detail", org.hamcrest.Matchers.containsString("built-in"));
    job("{}");
    declare(kind, PARAMS.replace("1000", "2000")).then().statusCode(409)
        .body("type", org.hamcrest.Matchers.endsWith("kind-conflict"));
    declare("Bad Name!", PARAMS).then().statusCode(400);
    declare(kind + "-x", "[{\"name\":\"a\",\"type\":\"string\",\"defaultValue\":1,\"minimum\":0,\"maximum\":2}]")
        .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("parameters[0].type"));
  }

  @Test
  void a_worker_that_leaves_while_it_waits_in_a_claim_is_handed_no_job() throws Exception {
    String body = "{\"worker\":\"ghost\",\"kinds\":[\"" + kind + "\"],\"waitSeconds\":30}";
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      socket.getOutputStream().write(("POST /workers/claim HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      Thread.sleep(500); // the claim waits on the server
    } // the worker stops (Ctrl+C, kill): its connection closes
    String id = job("{\"limit\":4}");
    // the departed worker's long-poll woke on the new job, and left it queued
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
        .until(() -> "QUEUED".equals(Jobs.get(id).getString("status")));
    JsonPath claimed = claim("w2", 5);
    assertThat(claimed.getString("job.id")).isEqualTo(id);
    assertThat(Jobs.get(id).getString("instance")).isEqualTo("w2");
  }

  @Test
  void a_worker_claims_checkpoints_and_succeeds_and_every_call_is_safe_to_resend() {
    assertThat(claim("w1", 0)).as("nothing queued: 204 at once").isNull();
    String id = job("{\"limit\":4}");
    JsonPath claimed = claim("w1", 5);
    assertThat(claimed.getString("job.id")).isEqualTo(id);
    assertThat(claimed.getInt("job.params.limit")).isEqualTo(4);
    assertThat(claimed.getInt("job.checkpoint.everyIterations")).isEqualTo(2);
    // when to checkpoint, and nothing of what the service keeps (which a claimed job does not carry)
    assertThat(claimed.getMap("job.checkpoint")).containsOnlyKeys("everyIterations", "everySeconds");
    assertThat(claimed.getString("checkpoint")).isNull();
    String token = claimed.getString("lease.token");
    assertThat(Jobs.get(id).getString("instance")).isEqualTo("w1");

    post(id, "checkpoints", checkpoint(token, 1, 2, "{\"n\":2}")).then().statusCode(201).body("seq", org.hamcrest.Matchers.equalTo(1));
    // the answer was lost, the worker resends: the same checkpoint, not a second one
    post(id, "checkpoints", checkpoint(token, 1, 2, "{\"n\":2}")).then().statusCode(200).body("seq", org.hamcrest.Matchers.equalTo(1));
    post(id, "checkpoints", checkpoint(token, 1, 3, "{\"n\":3}")).then().statusCode(409)
        .body("type", org.hamcrest.Matchers.endsWith("checkpoint-conflict"));
    given().get("/jobs/" + id + "/checkpoints").then().body("seq", org.hamcrest.Matchers.contains(1));

    post(id, "heartbeat", "{\"lease\":\"" + token + "\",\"iteration\":3}").then().statusCode(200)
        .body("stopRequested", org.hamcrest.Matchers.nullValue());
    String success = "{\"lease\":\"" + token + "\",\"iteration\":4,\"result\":{\"sum\":6}}";
    post(id, "succeed", success).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("SUCCEEDED"))
        .body("result.sum", org.hamcrest.Matchers.equalTo(6));
    post(id, "succeed", success).then().statusCode(200);
    // after the end nothing more is written
    post(id, "checkpoints", checkpoint(token, 2, 4, "{}")).then().statusCode(409)
        .body("type", org.hamcrest.Matchers.endsWith("lease-lost"));
    List<String> events = given().get("/jobs/" + id + "/events").then().extract().jsonPath().getList("type");
    assertThat(events).containsSubsequence("CREATED", "STARTED", "SUCCEEDED");
    assertThat(events.stream().filter("SUCCEEDED"::equals)).hasSize(1);
  }

  /** A claim whose answer was lost, resent with its Idempotency-Key: the same job, the same lease. */
  @Test
  void a_claim_resent_with_its_idempotency_key_gets_the_job_it_leased_not_a_second_one() {
    String first = job("{}");
    String second = job("{}");
    String body = "{\"worker\":\"w-resend\",\"kinds\":[\"" + kind + "\"],\"waitSeconds\":1}";
    JsonPath claimed = given().contentType(ContentType.JSON).header("Idempotency-Key", "claim-1").body(body)
        .post("/workers/claim").then().statusCode(200).extract().jsonPath();
    assertThat(claimed.getString("job.id")).isEqualTo(first);
    post(first, "checkpoints", checkpoint(claimed.getString("lease.token"), 1, 2, "{\"n\":2}")).then().statusCode(201);

    JsonPath resent = given().contentType(ContentType.JSON).header("Idempotency-Key", "claim-1").body(body)
        .post("/workers/claim").then().statusCode(200).extract().jsonPath();
    assertThat(resent.getString("job.id")).isEqualTo(first);
    assertThat(resent.getString("lease.token")).as("the same lease: its writes stay valid").isEqualTo(claimed.getString("lease.token"));
    assertThat(resent.getInt("checkpoint.seq")).isEqualTo(1);
    assertThat(Jobs.get(second).getString("status")).as("no second job leased").isEqualTo("QUEUED");
    List<String> events = given().get("/jobs/" + first + "/events").then().extract().jsonPath().getList("type");
    assertThat(events.stream().filter("STARTED"::equals)).hasSize(1);

    // another claim is another claim
    JsonPath next = given().contentType(ContentType.JSON).header("Idempotency-Key", "claim-2").body(body)
        .post("/workers/claim").then().statusCode(200).extract().jsonPath();
    assertThat(next.getString("job.id")).isEqualTo(second);
    given().contentType(ContentType.JSON).header("Idempotency-Key", "k".repeat(201)).body(body).post("/workers/claim")
        .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("Idempotency-Key"));
  }

  @Test
  void a_waiting_claim_is_answered_as_soon_as_a_job_is_queued() throws Exception {
    CompletableFuture<JsonPath> waiting = CompletableFuture.supplyAsync(() -> claim("w-wait", 20));
    Thread.sleep(500);
    long created = System.nanoTime();
    String id = job("{}");
    JsonPath claimed = waiting.get(10, TimeUnit.SECONDS);
    assertThat(claimed.getString("job.id")).isEqualTo(id);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created)).as("not the next poll, the event").isLessThan(1000);
  }

  @Test
  void pause_reaches_the_worker_in_its_next_answer_and_resume_continues_from_the_checkpoint_on_any_worker() {
    String id = job("{\"limit\":10}");
    String token = claim("w1", 5).getString("lease.token");
    post(id, "checkpoints", checkpoint(token, 1, 2, "{\"n\":2}")).then().statusCode(201);
    given().post("/jobs/" + id + "/pause").then().statusCode(202);
    post(id, "checkpoints", checkpoint(token, 2, 4, "{\"n\":4}")).then().statusCode(201)
        .body("stopRequested", org.hamcrest.Matchers.equalTo("PAUSE"));
    post(id, "release", "{\"lease\":\"" + token + "\",\"iteration\":4}").then().statusCode(200)
        .body("status", org.hamcrest.Matchers.equalTo("PAUSED"));
    assertThat(Jobs.get(id).getLong("lastCheckpoint.iteration")).isEqualTo(4);

    given().post("/jobs/" + id + "/resume").then().statusCode(202);
    JsonPath again = claim("w2", 5);
    assertThat(again.getInt("checkpoint.seq")).isEqualTo(2);
    assertThat(again.getInt("checkpoint.state.n")).isEqualTo(4);
    assertThat(again.getLong("lease.epoch")).isGreaterThan(1);
    // the first worker's lease is gone for good
    post(id, "heartbeat", "{\"lease\":\"" + token + "\",\"iteration\":5}").then().statusCode(409)
        .body("type", org.hamcrest.Matchers.endsWith("lease-lost"));
    String token2 = again.getString("lease.token");
    given().post("/jobs/" + id + "/cancel").then().statusCode(202);
    post(id, "release", "{\"lease\":\"" + token2 + "\",\"iteration\":6,\"seq\":3,\"state\":{\"n\":6}}").then().statusCode(200)
        .body("status", org.hamcrest.Matchers.equalTo("CANCELLED"))
        .body("lastCheckpoint.iteration", org.hamcrest.Matchers.equalTo(6));
  }

  @Test
  void a_retryable_failure_queues_the_job_again_and_the_last_attempt_fails_it() {
    String id = Jobs.create("{\"kind\":\"" + kind + "\",\"maxAttempts\":2}");
    String token = claim("w1", 5).getString("lease.token");
    post(id, "fail", "{\"lease\":\"" + token + "\",\"error\":\"out of paper\"}").then().statusCode(200)
        .body("status", org.hamcrest.Matchers.equalTo("QUEUED")).body("attempts", org.hamcrest.Matchers.equalTo(1));
    JsonPath again = claim("w1", 10);
    assertThat(again.getInt("job.attempts")).isEqualTo(1);
    post(id, "fail", "{\"lease\":\"" + again.getString("lease.token") + "\",\"error\":\"still no paper\"}").then()
        .statusCode(200).body("status", org.hamcrest.Matchers.equalTo("FAILED"))
        .body("error", org.hamcrest.Matchers.containsString("still no paper"));
  }

  @Test
  void bad_input_from_workers_gets_a_clear_problem_and_changes_nothing() {
    String id = job("{}");
    String token = claim("w1", 5).getString("lease.token");
    post(id, "checkpoints", checkpoint(token, 1, 2, "{\"n\":2}")).then().statusCode(201);

    post(id, "checkpoints", checkpoint("not-a-token", 2, 3, "{}")).then().statusCode(400).contentType("application/problem+json")
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("lease"));
    String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("v1:1:12000:someone-else".getBytes());
    post(id, "checkpoints", checkpoint(forged, 2, 3, "{}")).then().statusCode(409).body("type", org.hamcrest.Matchers.endsWith("lease-lost"));
    // a zombie write prevented, in the job's history
    given().get("/jobs/" + id + "/events").then()
        .body("find { it.type == 'WRITE_REFUSED' }.detail", org.hamcrest.Matchers.containsString("from someone-else (epoch 1)"));
    post(id, "checkpoints", "{\"lease\":\"" + token + "\",\"iteration\":3}").then().statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.containsString("state"));
    post(id, "checkpoints", "{\"lease\": ").then().statusCode(400).contentType("application/problem+json");
    post("00000000-0000-0000-0000-000000000000", "checkpoints", checkpoint(token, 2, 3, "{}")).then().statusCode(404);
    given().contentType(ContentType.JSON).body("{\"worker\":\"w\",\"kinds\":[\"squares\"]}").post("/workers/claim")
        .then().statusCode(400).body("errors[0].detail", org.hamcrest.Matchers.anything());
    given().contentType(ContentType.JSON).body("{\"worker\":\"w\",\"kinds\":[\"" + kind + "\"],\"waitSeconds\":9999}").post("/workers/claim")
        .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("waitSeconds"));

    given().get("/jobs/" + id + "/checkpoints").then().body("seq", org.hamcrest.Matchers.contains(1));
    assertThat(Jobs.get(id).getString("status")).isEqualTo("RUNNING");
    assertThat(Jobs.get(id).getString("instance")).isEqualTo("w1");
  }
}
