package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squares;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Slow API requests must not starve the engine: while every API statement is blocked (a lock
 * held on the kinds table, which GET /kinds reads), running jobs keep their leases, and a job's
 * status stays readable.
 */
@QuarkusTest
@TestProfile(ApiFloodTest.SmallPoolShortLeases.class)
@WithTestResource(EmbeddedPostgresResource.class)
class ApiFloodTest {

  public static class SmallPoolShortLeases implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.datasource.jdbc.max-size", "4",
          "quarkus.datasource.jdbc.acquisition-timeout", "1s",
          "checkpointd.api.statement-timeout", "2s",
          "checkpointd.lease.ttl", "3s",
          "checkpointd.lease.reap-interval", "500ms");
    }
  }

  @Test
  void a_flood_of_blocked_api_requests_answers_503_and_costs_no_running_job_its_lease() throws Exception {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobs.add(squares(50, 200, 5)); // about 10 s each
    }
    jobs.forEach(id -> awaitStatus(id, "RUNNING"));

    var config = ConfigProvider.getConfig();
    ConcurrentLinkedQueue<Response> answers = new ConcurrentLinkedQueue<>();
    try (Connection blocker = DriverManager.getConnection(
        config.getValue("quarkus.datasource.jdbc.url", String.class),
        config.getValue("quarkus.datasource.username", String.class),
        config.getValue("quarkus.datasource.password", String.class))) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE job_kind IN ACCESS EXCLUSIVE MODE");
      }
      ExecutorService flood = Executors.newFixedThreadPool(40);
      long until = System.currentTimeMillis() + 7_000; // more than twice the lease TTL
      for (int t = 0; t < 40; t++) {
        flood.submit(() -> {
          while (System.currentTimeMillis() < until) {
            answers.add(given().when().get("/kinds").then().extract().response());
          }
        });
      }
      flood.shutdown();
      assertThat(flood.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      blocker.rollback();
    }

    for (String id : jobs) {
      awaitStatus(id, "SUCCEEDED");
      List<String> types = given().when().get("/jobs/" + id + "/events").then().statusCode(200).extract().path("type");
      assertThat(types).as("events of %s", id).doesNotContain("RECOVERED", "RETRIED", "FAILED");
      assertThat(types).filteredOn("STARTED"::equals).hasSize(1);
    }
    assertThat(answers).extracting(Response::statusCode).isSubsetOf(200, 503).contains(503);
    Response unavailable = answers.stream().filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
    assertThat(unavailable.header("Retry-After")).isEqualTo("2");
    assertThat(unavailable.contentType()).startsWith("application/problem+json");
    assertThat(unavailable.jsonPath().getInt("status")).isEqualTo(503);
  }

  @Test
  void a_jobs_status_stays_readable_while_a_flood_of_other_requests_holds_every_api_connection() throws Exception {
    String id = squares(3, 0, 1);
    awaitStatus(id, "SUCCEEDED");
    List<Integer> reads = new ArrayList<>();
    try (Connection blocker = blocker()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE job_kind IN ACCESS EXCLUSIVE MODE");
      }
      ExecutorService flood = Executors.newFixedThreadPool(40);
      long until = System.currentTimeMillis() + 4_000;
      for (int t = 0; t < 40; t++) {
        flood.submit(() -> {
          while (System.currentTimeMillis() < until) {
            given().when().get("/kinds");
          }
        });
      }
      Thread.sleep(1_000); // the flood holds the API's four connections, and more wait for them
      for (int i = 0; i < 5; i++) {
        Response read = given().when().get("/jobs/" + id).then().extract().response();
        reads.add(read.statusCode());
        assertThat(read.jsonPath().getString("status")).as("read %d: %s", i, read.asString()).isEqualTo("SUCCEEDED");
      }
      flood.shutdown();
      assertThat(flood.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      blocker.rollback();
    }
    // read on connections of their own, without a worker thread: not queued behind the flood
    assertThat(reads).containsOnly(200);
  }

  @Test
  void a_read_held_up_longer_than_the_statement_timeout_answers_503_and_the_next_one_succeeds() throws Exception {
    String id = squares(3, 0, 1);
    awaitStatus(id, "SUCCEEDED");
    Response held;
    try (Connection blocker = blocker()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE checkpoint IN ACCESS EXCLUSIVE MODE"); // a job's read waits for it
      }
      CompletableFuture<Response> read =
          CompletableFuture.supplyAsync(() -> given().when().get("/jobs/" + id).then().extract().response());
      try {
        held = read.get(15, TimeUnit.SECONDS); // a read without the timeout would wait for the lock
      } finally {
        blocker.rollback();
      }
    }
    // cancelled by the 2 s statement timeout, not left waiting for the lock
    assertThat(held.statusCode()).as(held.asString()).isEqualTo(503);
    assertThat(held.header("Retry-After")).isEqualTo("2");
    assertThat(held.contentType()).startsWith("application/problem+json");
    given().when().get("/jobs/" + id).then().statusCode(200);
  }

  private static Connection blocker() throws Exception {
    var config = ConfigProvider.getConfig();
    return DriverManager.getConnection(
        config.getValue("quarkus.datasource.jdbc.url", String.class),
        config.getValue("quarkus.datasource.username", String.class),
        config.getValue("quarkus.datasource.password", String.class));
  }
}
