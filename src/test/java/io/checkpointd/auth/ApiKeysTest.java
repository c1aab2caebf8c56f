package io.checkpointd.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.KeysRequired;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API keys, roles and tenants, through the HTTP API of a service that requires keys. */
@QuarkusTest
@TestProfile(KeysRequired.class)
@WithTestResource(EmbeddedPostgresResource.class)
class ApiKeysTest {

  private static String acmeOperator;
  private static String acmeViewer;
  private static String acmeWorker;
  private static String betaOperator;
  private static String betaWorker;
  private static final List<String> CREATED = new ArrayList<>();

  @BeforeEach
  void keys() {
    if (acmeOperator != null) {
      return;
    }
    acmeOperator = key("acme", "operator");
    acmeViewer = key("acme", "viewer");
    acmeWorker = key("acme", "worker");
    betaOperator = key("beta", "operator");
    betaWorker = key("beta", "worker");
  }

  @Test
  void every_operation_without_a_key_or_with_a_bad_one_is_a_401_problem_with_a_challenge() throws Exception {
    JsonNode paths = new YAMLMapper().readTree(new File("openapi.yaml")).path("paths");
    int checked = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      String url = path.getKey().replace("{id}", UUID.randomUUID().toString()).replace("{seq}", "1").replace("{name}", "squares");
      for (String method : List.of("get", "post", "put", "delete")) {
        if (!path.getValue().has(method)) {
          continue;
        }
        for (RequestSpecification request : List.of(given(), given().header("Authorization", "Bearer ckd_00000000_nope"),
            given().header("Authorization", "Basic dXNlcjpwYXNz"))) {
          Response r = request.contentType(ContentType.JSON).body("{}").request(method, url);
          assertThat(r.statusCode()).as(method + " " + url).isEqualTo(401);
          assertThat(r.contentType()).as(method + " " + url).startsWith("application/problem+json");
          assertThat(r.header("WWW-Authenticate")).as(method + " " + url).startsWith("Bearer");
          assertThat(r.jsonPath().getInt("status")).isEqualTo(401);
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(20);
    // what probes and scrapers need stays open
    given().get("/q/health/ready").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
  }

  @Test
  void a_key_without_the_role_is_a_403_problem() {
    as(acmeViewer).contentType(ContentType.JSON).body(squares(3)).post("/jobs").then().statusCode(403)
        .contentType(startsWith("application/problem+json")).body("type", equalTo("/problems/forbidden"));
    as(acmeOperator).get("/api-keys").then().statusCode(403);
    as(acmeWorker).get("/jobs").then().statusCode(403);
    as(acmeViewer).contentType(ContentType.JSON).body("{\"worker\":\"w\",\"kinds\":[\"squares\"]}").post("/workers/claim")
        .then().statusCode(403);
    as(acmeViewer).get("/jobs").then().statusCode(200);
    // the compatibility report reads every tenant's checkpoints and names their jobs
    as(acmeOperator).get("/kinds/squares/compatibility").then().statusCode(403);
    as(KeysRequired.ADMIN_KEY).get("/kinds/squares/compatibility").then().statusCode(200);
  }

  @Test
  void a_key_is_shown_once_stored_as_a_hash_and_named_by_its_prefix_in_lists_and_events() {
    JsonPath created = as(KeysRequired.ADMIN_KEY).contentType(ContentType.JSON)
        .body("{\"tenant\":\"acme\",\"roles\":[\"operator\",\"viewer\"],\"name\":\"ci\"}")
        .post("/api-keys").then().statusCode(201).extract().jsonPath();
    String key = created.getString("key");
    String prefix = created.getString("prefix");
    CREATED.add(created.getString("id"));
    assertThat(key).startsWith("ckd_" + prefix + "_").hasSizeGreaterThan(40);
    String listed = as(KeysRequired.ADMIN_KEY).get("/api-keys").then().statusCode(200).extract().asString();
    assertThat(listed).contains(prefix).doesNotContain(key);

    String id = as(key).contentType(ContentType.JSON).body(squares(200)).post("/jobs").then().statusCode(201).extract().path("id");
    as(key).post("/jobs/" + id + "/cancel").then().statusCode(org.hamcrest.Matchers.oneOf(200, 202));
    List<String> details = as(key).get("/jobs/" + id + "/events").then().extract().jsonPath().getList("detail", String.class);
    assertThat(details).anyMatch(d -> d != null && d.contains("by key " + prefix) && !d.contains(key));
    assertThat(details.stream().filter(d -> d != null && d.contains("key " + prefix)).count()).isGreaterThanOrEqualTo(2);

    as(KeysRequired.ADMIN_KEY).contentType(ContentType.JSON).body("{\"tenant\":\"Not A Tenant\",\"roles\":[\"operator\"]}")
        .post("/api-keys").then().statusCode(400).body("errors[0].field", equalTo("tenant"));
    as(KeysRequired.ADMIN_KEY).contentType(ContentType.JSON).body("{\"tenant\":\"acme\",\"roles\":[\"root\"]}")
        .post("/api-keys").then().statusCode(400).body("errors[0].field", equalTo("roles"));
  }

  @Test
  void a_revoked_key_stops_working_at_once() {
    JsonPath created = as(KeysRequired.ADMIN_KEY).contentType(ContentType.JSON)
        .body("{\"tenant\":\"acme\",\"roles\":[\"viewer\"]}").post("/api-keys").then().statusCode(201).extract().jsonPath();
    String key = created.getString("key");
    CREATED.add(created.getString("id"));
    as(key).get("/jobs").then().statusCode(200);
    as(key).get("/jobs").then().statusCode(200); // now remembered by this instance
    as(KeysRequired.ADMIN_KEY).delete("/api-keys/" + created.getString("id")).then().statusCode(204);
    as(key).get("/jobs").then().statusCode(401).body("detail", containsString("revoked"));
    as(KeysRequired.ADMIN_KEY).delete("/api-keys/" + UUID.randomUUID()).then().statusCode(404);
  }

  @Test
  void another_tenants_job_is_a_404_on_every_endpoint_and_absent_from_lists() {
    String id = as(acmeOperator).contentType(ContentType.JSON).header("Idempotency-Key", "same-key")
        .body("{\"kind\":\"squares\",\"params\":{\"limit\":6,\"delayMs\":0},\"checkpoint\":{\"everyIterations\":1,"
            + "\"retainAfterSuccess\":true}}")
        .post("/jobs").then().statusCode(201).body("tenant", equalTo("acme")).extract().path("id");
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> "SUCCEEDED".equals(as(acmeViewer).get("/jobs/" + id).path("status")));
    long seq = as(acmeViewer).get("/jobs/" + id + "/checkpoints").then().statusCode(200).extract().jsonPath().getLong("[0].seq");

    for (String[] call : new String[][] {
        {"get", ""}, {"get", "/events"}, {"get", "/checkpoints"}, {"get", "/checkpoints/latest"},
        {"get", "/checkpoints/" + seq}, {"get", "/checkpoints/" + seq + "/state"}, {"get", "/stream"},
        {"post", "/pause"}, {"post", "/resume"}, {"post", "/cancel"}, {"delete", ""},
        {"post", "/fork"}, {"post", "/rewind"}}) {
      Response r = as(betaOperator).contentType(ContentType.JSON).body(call[1].equals("/rewind") ? "{\"toSeq\":1}" : "{}")
          .request(call[0], "/jobs/" + id + call[1]);
      assertThat(r.statusCode()).as(call[0] + " " + call[1]).isEqualTo(404);
      assertThat(r.asString()).as(call[0] + " " + call[1]).doesNotContain("squares").doesNotContain("acme");
    }
    // a well-formed lease token, as a worker of another tenant could make up
    String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("v1:1:60000:w".getBytes());
    String lease = "\"lease\":\"" + token + "\"";
    for (String[] call : new String[][] {{"heartbeat", "\"iteration\":1"}, {"checkpoints", "\"seq\":1,\"iteration\":1,\"state\":{}"},
        {"succeed", "\"iteration\":1,\"result\":{}"}, {"fail", "\"error\":\"x\""}, {"release", "\"iteration\":1"}}) {
      Response r = as(betaWorker).contentType(ContentType.JSON).body("{" + lease + "," + call[1] + "}")
          .post("/jobs/" + id + "/" + call[0]);
      assertThat(r.statusCode()).as(call[0] + ": " + r.asString()).isEqualTo(404);
    }
    assertThat(as(betaOperator).get("/jobs?limit=500").then().extract().jsonPath().getList("items.id", String.class))
        .doesNotContain(id);
    assertThat(as(KeysRequired.ADMIN_KEY).get("/jobs/" + id).then().statusCode(200).extract().<String>path("tenant"))
        .isEqualTo("acme");
    // the job is untouched by all of that
    assertThat(as(acmeViewer).get("/jobs/" + id).then().extract().<String>path("status")).isEqualTo("SUCCEEDED");

    // the same Idempotency-Key in another tenant makes another job, and reveals nothing of the first
    String other = as(betaOperator).contentType(ContentType.JSON).header("Idempotency-Key", "same-key")
        .body(squares(7)).post("/jobs").then().statusCode(201).body("tenant", equalTo("beta")).extract().path("id");
    assertThat(other).isNotEqualTo(id);
    as(acmeOperator).contentType(ContentType.JSON).header("Idempotency-Key", "same-key").body(squares(9)).post("/jobs")
        .then().statusCode(422);
  }

  @Test
  void a_worker_claims_only_its_tenants_jobs() {
    String kind = "tenant-kind-" + System.nanoTime() % 100000;
    as(acmeWorker).contentType(ContentType.JSON).body("{\"description\":\"t\",\"parameters\":[]}").put("/kinds/" + kind)
        .then().statusCode(201);
    String acmeJob = as(acmeOperator).contentType(ContentType.JSON).body("{\"kind\":\"" + kind + "\"}").post("/jobs")
        .then().statusCode(201).extract().path("id");
    String claim = "{\"worker\":\"w\",\"kinds\":[\"" + kind + "\"],\"waitSeconds\":0}";
    // beta has no kind of that name (kinds are declared per tenant); with one of its own, still no job of acme's
    as(betaWorker).contentType(ContentType.JSON).body(claim).post("/workers/claim").then().statusCode(400);
    as(betaWorker).contentType(ContentType.JSON).body("{\"description\":\"t\",\"parameters\":[]}").put("/kinds/" + kind)
        .then().statusCode(201);
    as(betaWorker).contentType(ContentType.JSON).body(claim).post("/workers/claim").then().statusCode(204);
    as(acmeWorker).contentType(ContentType.JSON).body(claim).post("/workers/claim").then().statusCode(200)
        .body("job.id", equalTo(acmeJob));
    as(acmeOperator).post("/jobs/" + acmeJob + "/cancel");
  }

  @Test
  void workers_take_tenants_in_turn_so_one_tenants_queue_does_not_starve_anothers_job() {
    String kind = "fair-kind-" + System.nanoTime() % 100000;
    as(acmeWorker).contentType(ContentType.JSON).body("{\"description\":\"t\",\"parameters\":[]}").put("/kinds/" + kind)
        .then().statusCode(201);
    List<String> acme = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      acme.add(as(acmeOperator).contentType(ContentType.JSON).body("{\"kind\":\"" + kind + "\"}").post("/jobs")
          .then().statusCode(201).extract().path("id"));
    }
    as(betaWorker).contentType(ContentType.JSON).body("{\"description\":\"t\",\"parameters\":[]}").put("/kinds/" + kind)
        .then().statusCode(201);
    String beta = as(betaOperator).contentType(ContentType.JSON).body("{\"kind\":\"" + kind + "\"}").post("/jobs")
        .then().statusCode(201).extract().path("id");
    // a worker that serves every tenant (the admin key has every role)
    String claim = "{\"worker\":\"fair\",\"kinds\":[\"" + kind + "\"],\"waitSeconds\":0}";
    List<String> claimed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      claimed.add(as(KeysRequired.ADMIN_KEY).contentType(ContentType.JSON).body(claim).post("/workers/claim")
          .then().statusCode(200).extract().path("job.id"));
    }
    // beta's one job comes second, not twenty-first: the tenant with fewer running goes first
    assertThat(claimed).containsExactly(acme.get(0), beta, acme.get(1));
    acme.forEach(id -> as(acmeOperator).post("/jobs/" + id + "/cancel"));
    as(betaOperator).post("/jobs/" + beta + "/cancel");
  }

  private static String squares(int limit) {
    return "{\"kind\":\"squares\",\"params\":{\"limit\":" + limit + ",\"delayMs\":0}}";
  }

  private static String key(String tenant, String role) {
    JsonPath created = as(KeysRequired.ADMIN_KEY).contentType(ContentType.JSON)
        .body("{\"tenant\":\"" + tenant + "\",\"roles\":[\"" + role + "\"],\"name\":\"" + tenant + "-" + role + "\"}")
        .post("/api-keys").then().statusCode(201).extract().jsonPath();
    CREATED.add(created.getString("id"));
    return created.getString("key");
  }

  private static RequestSpecification as(String key) {
    return given().header("Authorization", "Bearer " + key);
  }
}
