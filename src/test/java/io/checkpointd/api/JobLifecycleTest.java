package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitJob;
import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squares;
import static io.checkpointd.support.Jobs.squaresUpTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.isOneOf;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class JobLifecycleTest {

  @Test
  void a_paused_job_stops_at_a_checkpoint_and_resumes_from_it_to_the_exact_result() {
    // 6 s of work; progress shows at heartbeats (every 500 ms in tests), as no checkpoint comes
    String id = squares(300, 20, 1000);
    awaitJob(id, Duration.ofSeconds(30), j -> j.getInt("progress.iteration") >= 5);

    given().post("/jobs/" + id + "/pause").then().statusCode(202);
    JsonPath paused = awaitStatus(id, "PAUSED");
    long at = paused.getLong("progress.iteration");
    assertThat(paused.getLong("lastCheckpoint.iteration")).isEqualTo(at);
    assertThat(paused.getString("requested")).isNull();
    assertThat(paused.getString("instance")).isNull();
    JsonPath latest = given().get("/jobs/" + id + "/checkpoints/latest").then().statusCode(200).extract().jsonPath();
    assertThat(latest.getList("state.data", Long.class)).isEqualTo(squaresUpTo(at));

    // a repeat is harmless, and the job stays put
    given().post("/jobs/" + id + "/pause").then().statusCode(200).body("status", equalTo("PAUSED"));
    assertThat(Jobs.get(id).getLong("progress.iteration")).isEqualTo(at);

    given().post("/jobs/" + id + "/resume").then().statusCode(202).body("status", isOneOf("QUEUED", "RUNNING"));
    JsonPath done = awaitStatus(id, "SUCCEEDED");
    assertThat(done.getList("result.data", Long.class)).isEqualTo(squaresUpTo(300));

    List<String> events = given().get("/jobs/" + id + "/events").then().statusCode(200).extract().path("type");
    assertThat(events).containsSubsequence("CREATED", "STARTED", "PAUSE_REQUESTED", "PAUSED", "RESUMED", "STARTED", "SUCCEEDED");
    assertThat(events).contains("CHECKPOINTED");
  }

  @Test
  void a_pause_shows_as_requested_until_the_job_reaches_it() {
    // each step works for 1.5 s: a pause has to wait for the step in progress
    String id = Jobs.create("{\"kind\":\"flaky\",\"params\":{\"limit\":100,\"failures\":0,\"stepMs\":1500}}");
    awaitJob(id, Duration.ofSeconds(30), j -> j.getInt("progress.iteration") >= 1);
    given().post("/jobs/" + id + "/pause").then().statusCode(202)
        .body("status", equalTo("RUNNING")).body("requested", equalTo("PAUSE"));
    JsonPath paused = awaitStatus(id, "PAUSED");
    assertThat(paused.getString("requested")).isNull();
  }

  @Test
  void a_pause_cuts_short_the_wait_between_steps() {
    String id = squares(100, 20_000, 5);
    awaitStatus(id, "RUNNING");
    given().post("/jobs/" + id + "/pause").then().statusCode(202);
    // the runner was waiting out a 20 s delay before its first step
    awaitJob(id, Duration.ofSeconds(10), j -> "PAUSED".equals(j.getString("status")));
  }

  @Test
  void a_cancelled_job_is_terminal_and_keeps_its_last_checkpoint_readable() {
    String id = squares(1000, 10, 1000);
    awaitJob(id, Duration.ofSeconds(30), j -> j.getInt("progress.iteration") >= 3);
    given().post("/jobs/" + id + "/cancel").then().statusCode(202);
    JsonPath cancelled = awaitStatus(id, "CANCELLED");
    long at = cancelled.getLong("lastCheckpoint.iteration");
    assertThat(cancelled.getString("finishedAt")).isNotNull();
    given().get("/jobs/" + id + "/checkpoints/latest").then().statusCode(200).body("iteration", equalTo((int) at));

    given().post("/jobs/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
    given().post("/jobs/" + id + "/resume").then().statusCode(409).contentType("application/problem+json")
        .body("currentStatus", equalTo("CANCELLED"))
        .body("allowedCommands", equalTo(List.of("cancel")))
        .body("detail", containsString("CANCELLED"));
    given().post("/jobs/" + id + "/pause").then().statusCode(409);
  }

  @Test
  void queued_and_paused_jobs_can_be_cancelled_at_once() {
    String paused = squares(100, 5000, 5);
    awaitStatus(paused, "RUNNING");
    given().post("/jobs/" + paused + "/pause").then().statusCode(202);
    awaitStatus(paused, "PAUSED");
    given().post("/jobs/" + paused + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
  }

  @Test
  void finished_jobs_refuse_commands_that_make_no_sense_with_409() {
    String id = squares(3, 0, 5);
    awaitStatus(id, "SUCCEEDED");
    for (String command : List.of("pause", "resume", "cancel")) {
      given().post("/jobs/" + id + "/" + command).then().statusCode(409).contentType("application/problem+json")
          .body("currentStatus", equalTo("SUCCEEDED"))
          .body("allowedCommands.size()", equalTo(0));
    }
    given().post("/jobs/00000000-0000-0000-0000-000000000000/pause").then().statusCode(404);
  }

  @Test
  void only_finished_jobs_can_be_deleted_and_then_they_are_gone() {
    String running = squares(100, 1000, 5);
    awaitStatus(running, "RUNNING");
    given().delete("/jobs/" + running).then().statusCode(409).contentType("application/problem+json")
        .body("detail", containsString("cancel it first"));
    given().post("/jobs/" + running + "/cancel").then().statusCode(202);
    awaitStatus(running, "CANCELLED");

    given().delete("/jobs/" + running).then().statusCode(204);
    given().get("/jobs/" + running).then().statusCode(404);
    given().get("/jobs/" + running + "/events").then().statusCode(404);
    given().delete("/jobs/" + running).then().statusCode(404);
  }

  @Test
  void pause_and_cancel_at_the_same_moment_leave_one_consistent_state() {
    for (int round = 0; round < 5; round++) {
      String id = squares(1000, 20, 5);
      awaitStatus(id, "RUNNING");
      CompletableFuture<Integer> pause = CompletableFuture.supplyAsync(() -> given().post("/jobs/" + id + "/pause").statusCode());
      CompletableFuture<Integer> cancel = CompletableFuture.supplyAsync(() -> given().post("/jobs/" + id + "/cancel").statusCode());
      assertThat(cancel.join()).isIn(200, 202);
      assertThat(pause.join()).isIn(200, 202, 409);
      // a cancel always wins in the end: it is allowed from every state a pause leads to
      JsonPath job = awaitStatus(id, "CANCELLED");
      assertThat(job.getString("requested")).isNull();
    }
  }

  @Test
  void the_same_idempotency_key_with_the_same_body_gives_one_job() {
    String body = "{\"kind\":\"squares\",\"params\":{\"limit\":4,\"delayMs\":0}}";
    String first = given().header("Idempotency-Key", "order-7731").contentType(ContentType.JSON).body(body)
        .post("/jobs").then().statusCode(201).extract().path("id");
    // a client retrying after a timeout: same key, same request (defaults spelled out)
    given().header("Idempotency-Key", "order-7731").contentType(ContentType.JSON)
        .body("{\"kind\":\"squares\",\"params\":{\"delayMs\":0,\"limit\":4},\"checkpoint\":{\"everyIterations\":5}}")
        .post("/jobs").then().statusCode(200).body("id", equalTo(first))
        .header("Location", containsString(first));
    given().header("Idempotency-Key", "order-7731").contentType(ContentType.JSON)
        .body("{\"kind\":\"squares\",\"params\":{\"limit\":5}}")
        .post("/jobs").then().statusCode(422).contentType("application/problem+json")
        .body("detail", containsString(first));
    List<String> ids = given().queryParam("limit", 500).get("/jobs").then().extract().path("items.id");
    assertThat(ids.stream().filter(first::equals)).hasSize(1);
  }

  @Test
  void concurrent_requests_with_one_idempotency_key_create_one_job() {
    String body = "{\"kind\":\"squares\",\"params\":{\"limit\":2,\"delayMs\":0}}";
    List<CompletableFuture<String>> calls = java.util.stream.IntStream.range(0, 6)
        .mapToObj(i -> CompletableFuture.supplyAsync(() -> given().header("Idempotency-Key", "burst-1")
            .contentType(ContentType.JSON).body(body).post("/jobs").then().extract().<String>path("id")))
        .toList();
    assertThat(calls.stream().map(CompletableFuture::join).distinct()).hasSize(1);
  }

  /**
   * Creations that arrive together are written in one statement: each request must still get its
   * own job (its own params), with one CREATED event, and its key must find it again.
   */
  @Test
  void a_burst_of_creations_gives_each_request_its_own_job() throws Exception {
    int burst = 48;
    java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(burst);
    try {
      List<java.util.concurrent.Future<io.restassured.response.Response>> calls = new java.util.ArrayList<>();
      for (int i = 1; i <= burst; i++) {
        int limit = i;
        calls.add(clients.submit(() -> given().header("Idempotency-Key", "burst-each-" + limit)
            .contentType(ContentType.JSON).body("{\"kind\":\"squares\",\"params\":{\"limit\":" + limit + ",\"delayMs\":0}}")
            .post("/jobs")));
      }
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (int i = 1; i <= burst; i++) {
        io.restassured.response.Response created = calls.get(i - 1).get();
        assertThat(created.statusCode()).isEqualTo(201);
        String id = created.path("id");
        ids.add(id);
        assertThat(created.<Integer>path("params.limit")).isEqualTo(i);
        assertThat(given().get("/jobs/" + id).then().statusCode(200).extract().<Integer>path("params.limit")).isEqualTo(i);
        List<String> types = given().get("/jobs/" + id + "/events").then().statusCode(200).extract().path("type");
        assertThat(types.stream().filter("CREATED"::equals)).hasSize(1);
        given().header("Idempotency-Key", "burst-each-" + i).contentType(ContentType.JSON)
            .body("{\"kind\":\"squares\",\"params\":{\"limit\":" + i + ",\"delayMs\":0}}")
            .post("/jobs").then().statusCode(200).body("id", equalTo(id));
      }
      assertThat(ids).hasSize(burst);
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void a_running_job_shows_its_rate_and_what_a_crash_would_cost() {
    String id = squares(400, 25, 1000);
    JsonPath job = awaitJob(id, Duration.ofSeconds(30), j -> j.get("progress.ratePerSecond") != null
        && j.getInt("progress.iteration") >= 30 && j.get("lastCheckpoint") == null);
    assertThat(job.getDouble("progress.ratePerSecond")).isPositive();
    assertThat(job.getDouble("progress.etaSeconds")).isPositive();
    given().post("/jobs/" + id + "/cancel").then().statusCode(202);
    awaitStatus(id, "CANCELLED");
  }

  @Test
  void kinds_include_pi_and_primes() {
    given().get("/kinds").then().statusCode(200).body("name", hasItems("squares", "pi", "primes"));
  }
}
