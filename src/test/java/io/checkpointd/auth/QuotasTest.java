package io.checkpointd.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.KeysRequired;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant quotas: a clear problem naming the quota (429 for creations, 413 for a state), and
 * nothing created or stored beyond it.
 */
@QuarkusTest
@TestProfile(KeysRequired.class)
@WithTestResource(EmbeddedPostgresResource.class)
class QuotasTest {

  private static final String QUICK = "{\"kind\":\"counter\",\"params\":{\"iterations\":1,\"stateBytes\":0}}";
  private static final String LONG = "{\"kind\":\"squares\",\"params\":{\"limit\":1000,\"delayMs\":1000}}";

  @Test
  void a_tenant_at_its_active_jobs_quota_gets_a_429_until_one_ends() {
    String key = key("small");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ids.add(as(key).contentType(ContentType.JSON).body(LONG).post("/jobs").then().statusCode(201).extract().path("id"));
    }
    Response refused = as(key).contentType(ContentType.JSON).body(LONG).post("/jobs");
    refused.then().statusCode(429).contentType(startsWith("application/problem+json"))
        .body("type", equalTo("/problems/quota-exceeded")).body("quota", equalTo("active-jobs")).body("limit", equalTo(2))
        .body("detail", containsString("checkpointd.quotas.active-jobs"));
    assertThat(refused.header("Retry-After")).isNotBlank();
    assertThat(as(key).get("/jobs").then().extract().jsonPath().getList("items")).hasSize(2);

    as(key).post("/jobs/" + ids.get(0) + "/cancel").then().statusCode(org.hamcrest.Matchers.oneOf(200, 202));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> "CANCELLED".equals(as(key).get("/jobs/" + ids.get(0)).path("status")));
    String third = as(key).contentType(ContentType.JSON).body(LONG).post("/jobs").then().statusCode(201).extract().path("id");
    as(key).post("/jobs/" + ids.get(1) + "/cancel");
    as(key).post("/jobs/" + third + "/cancel");
  }

  @Test
  void a_tenant_over_its_creation_rate_gets_a_429_with_retry_after_and_a_resent_request_is_still_answered() {
    String key = key("burst");
    String quick = "{\"kind\":\"squares\",\"params\":{\"limit\":2,\"delayMs\":0}}";
    String first = as(key).contentType(ContentType.JSON).header("Idempotency-Key", "b-1").body(quick).post("/jobs")
        .then().statusCode(201).extract().path("id");
    as(key).contentType(ContentType.JSON).body(quick).post("/jobs").then().statusCode(201);
    as(key).contentType(ContentType.JSON).body(quick).post("/jobs").then().statusCode(201);
    Response refused = as(key).contentType(ContentType.JSON).body(quick).post("/jobs");
    refused.then().statusCode(429).body("quota", equalTo("creations-per-minute")).body("limit", equalTo(3));
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
    // the same request again with its key creates nothing: answered with the job it made
    as(key).contentType(ContentType.JSON).header("Idempotency-Key", "b-1").body(quick).post("/jobs")
        .then().statusCode(200).body("id", equalTo(first));
    // another tenant is not held back by this one
    as(key("other")).contentType(ContentType.JSON).body(quick).post("/jobs").then().statusCode(201);
  }

  @Test
  void an_http_workers_checkpoint_over_its_tenants_state_bytes_quota_is_a_413_naming_it_and_a_roomier_tenant_saves_it() {
    String tight = key("tight", "operator", "viewer", "worker");
    String roomy = key("roomy", "operator", "viewer", "worker");
    String kind = "quota-" + System.nanoTime() % 1_000_000;
    // kinds are per tenant: each declares its own
    for (String tenant : java.util.List.of(tight, roomy)) {
      as(tenant).contentType(ContentType.JSON).body("{\"description\":\"t\",\"parameters\":[]}").put("/kinds/" + kind)
          .then().statusCode(201);
    }
    // 3,000 bytes of JSON, stored as is (below compress-above): over tight's 2,000, within roomy's 100,000
    String state = "{\"payload\":\"" + "x".repeat(3000) + "\"}";

    Leased job = claimed(tight, tight, kind);
    Response refused = checkpoint(tight, job, state);
    refused.then().statusCode(413).contentType(startsWith("application/problem+json"))
        .body("type", equalTo("/problems/state-too-large")).body("quota", equalTo("state-bytes")).body("limit", equalTo(2000))
        .body("detail", containsString("checkpointd.quotas.state-bytes"));
    assertThat(as(tight).get("/jobs/" + job.id + "/checkpoints").then().extract().jsonPath().getList("seq")).isEmpty();
    checkpoint(tight, job, "{\"payload\":\"small\"}").then().statusCode(201);
    finish(tight, job);

    // a worker that serves every tenant (an admin) answers from the I/O thread: the same refusal
    Leased other = claimed(tight, KeysRequired.ADMIN_KEY, kind);
    checkpoint(KeysRequired.ADMIN_KEY, other, state).then().statusCode(413).body("quota", equalTo("state-bytes"));
    finish(KeysRequired.ADMIN_KEY, other);

    Leased roomier = claimed(roomy, roomy, kind);
    checkpoint(roomy, roomier, state).then().statusCode(201);
    finish(roomy, roomier);
  }

  @Test
  void an_in_process_job_whose_state_outgrows_its_tenants_state_bytes_quota_fails_naming_it() {
    String params = "{\"kind\":\"counter\",\"params\":{\"iterations\":1000,\"stateBytes\":5000,\"delayMs\":5}}";
    String tight = key("tight");
    String failing = create(tight, params);
    await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(as(tight).get("/jobs/" + failing).path("status")));
    assertThat(as(tight).get("/jobs/" + failing).<String>path("error"))
        .contains("tenant tight's quota of 2000 bytes", "checkpointd.quotas.state-bytes");

    String roomy = key("roomy");
    String saving = create(roomy, params);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> as(roomy).get("/jobs/" + saving).<Integer>path("checkpointsWritten") >= 1);
    as(roomy).post("/jobs/" + saving + "/cancel").then().statusCode(202);
  }

  @Test
  void a_tenant_storing_more_than_its_stored_bytes_quota_creates_nothing_until_it_deletes_jobs() {
    String hoarder = key("hoarder");
    // 4,000 bytes a checkpoint, 3 kept: 12,000 stored, over the quota of 10,000
    String big = create(hoarder, "{\"kind\":\"counter\",\"params\":{\"iterations\":100000,\"stateBytes\":4000,"
        + "\"delayMs\":10},\"checkpoint\":{\"everyIterations\":1}}");
    await().atMost(Duration.ofSeconds(20))
        .until(() -> as(hoarder).get("/jobs/" + big).<Integer>path("checkpointsWritten") >= 3);
    as(hoarder).post("/jobs/" + big + "/cancel").then().statusCode(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> "CANCELLED".equals(as(hoarder).get("/jobs/" + big).path("status")));

    // the figure is summed at most once a second: creations pass until then (quick jobs, which
    // keep no checkpoint once they succeed)
    Response refused = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> as(hoarder).contentType(ContentType.JSON).body(QUICK).post("/jobs"), r -> r.statusCode() != 201);
    refused.then().statusCode(429).contentType(startsWith("application/problem+json"))
        .body("type", equalTo("/problems/quota-exceeded")).body("quota", equalTo("stored-bytes")).body("limit", equalTo(10000))
        .body("detail", containsString("checkpointd.quotas.stored-bytes"));
    assertThat(refused.header("Retry-After")).isNotBlank();
    // another tenant stores on
    as(key("thrifty")).contentType(ContentType.JSON).body(QUICK).post("/jobs").then().statusCode(201);

    as(hoarder).delete("/jobs/" + big).then().statusCode(204);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> as(hoarder).contentType(ContentType.JSON).body(QUICK).post("/jobs").statusCode() == 201);
  }

  /** A job of {@code kind} created with {@code owner}'s key and claimed with {@code worker}'s. */
  private record Leased(String id, String token) {}

  private static Leased claimed(String owner, String worker, String kind) {
    String id = create(owner, "{\"kind\":\"" + kind + "\"}");
    io.restassured.path.json.JsonPath claim = as(worker).contentType(ContentType.JSON)
        .body("{\"worker\":\"w\",\"kinds\":[\"" + kind + "\"],\"waitSeconds\":5}").post("/workers/claim")
        .then().statusCode(200).extract().jsonPath();
    assertThat(claim.getString("job.id")).isEqualTo(id);
    return new Leased(id, claim.getString("lease.token"));
  }

  private static Response checkpoint(String worker, Leased job, String state) {
    return as(worker).contentType(ContentType.JSON)
        .body("{\"lease\":\"" + job.token + "\",\"seq\":1,\"iteration\":1,\"state\":" + state + "}")
        .post("/jobs/" + job.id + "/checkpoints");
  }

  private static void finish(String worker, Leased job) {
    as(worker).contentType(ContentType.JSON).body("{\"lease\":\"" + job.token + "\",\"iteration\":1,\"result\":{}}")
        .post("/jobs/" + job.id + "/succeed").then().statusCode(200);
  }

  private static String create(String key, String body) {
    return as(key).contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(201).extract().path("id");
  }

  private static String key(String tenant, String... roles) {
    String names = roles.length == 0 ? "\"operator\",\"viewer\"" : "\"" + String.join("\",\"", roles) + "\"";
    return as(KeysRequired.ADMIN_KEY).contentType(ContentType.JSON)
        .body("{\"tenant\":\"" + tenant + "\",\"roles\":[" + names + "]}")
        .post("/api-keys").then().statusCode(201).extract().path("key");
  }

  private static RequestSpecification as(String key) {
    return given().header("Authorization", "Bearer " + key);
  }
}
