package io.checkpointd.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.KeysRequired;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** External kinds are declared per tenant; built-in kinds are shared. Through the HTTP API, with keys. */
@QuarkusTest
@TestProfile(KeysRequired.class)
@WithTestResource(EmbeddedPostgresResource.class)
class TenantKindsTest {

  private static final String A_PARAMS =
      "[{\"name\":\"size\",\"type\":\"integer\",\"defaultValue\":10,\"minimum\":1,\"maximum\":100}]";
  private static final String B_PARAMS =
      "[{\"name\":\"depth\",\"type\":\"number\",\"defaultValue\":0.5,\"minimum\":0,\"maximum\":1}]";

  private static String aWorker;
  private static String aOperator;
  private static String bWorker;
  private static String bOperator;

  @BeforeEach
  void keys() {
    if (aWorker != null) {
      return;
    }
    aWorker = key("tenant-a", "worker");
    aOperator = key("tenant-a", "operator");
    bWorker = key("tenant-b", "worker");
    bOperator = key("tenant-b", "operator");
  }

  @Test
  void two_tenants_declare_one_name_each_with_its_own_parameters_and_see_only_their_own() {
    declare(aWorker, "shared-name", A_PARAMS).then().statusCode(201).body("tenant", equalTo("tenant-a"));
    declare(bWorker, "shared-name", B_PARAMS).then().statusCode(201).body("tenant", equalTo("tenant-b"));

    JsonPath aSees = as(aOperator).get("/kinds").then().statusCode(200).extract().jsonPath();
    assertThat(aSees.getList("findAll { it.name == 'shared-name' }.tenant")).containsExactly("tenant-a");
    assertThat(aSees.getList("find { it.name == 'shared-name' }.parameters.name")).containsExactly("size");
    JsonPath bSees = as(bOperator).get("/kinds").then().statusCode(200).extract().jsonPath();
    assertThat(bSees.getList("findAll { it.name == 'shared-name' }.tenant")).containsExactly("tenant-b");
    assertThat(bSees.getList("find { it.name == 'shared-name' }.parameters.name")).containsExactly("depth");
    as(aOperator).get("/kinds/shared-name").then().statusCode(200).body("parameters[0].name", equalTo("size"));
    as(bOperator).get("/kinds/shared-name").then().statusCode(200).body("parameters[0].name", equalTo("depth"));

    // an admin sees both, each with its tenant
    JsonPath adminSees = as(KeysRequired.ADMIN_KEY).get("/kinds").then().statusCode(200).extract().jsonPath();
    assertThat(adminSees.getList("findAll { it.name == 'shared-name' }.tenant")).containsExactlyInAnyOrder("tenant-a", "tenant-b");
    // but may create neither: its jobs are created in its own tenant, which declared no such kind
    JsonPath adminMayCreate =
        as(KeysRequired.ADMIN_KEY).queryParam("creatable", true).get("/kinds").then().statusCode(200).extract().jsonPath();
    assertThat(adminMayCreate.getList("name", String.class)).contains("squares").doesNotContain("shared-name");
    createJob(KeysRequired.ADMIN_KEY, "shared-name", "{}").then().statusCode(400);
    // a tenant's own key may create what it sees
    JsonPath aMayCreate = as(aOperator).queryParam("creatable", true).get("/kinds").then().statusCode(200).extract().jsonPath();
    assertThat(aMayCreate.getList("findAll { it.name == 'shared-name' }.parameters[0].name")).containsExactly("size");
  }

  @Test
  void a_job_of_an_external_kind_is_validated_against_its_tenants_declaration() {
    declare(aWorker, "validated-name", A_PARAMS).then().statusCode(201);
    declare(bWorker, "validated-name", B_PARAMS).then().statusCode(201);

    String aJob = createJob(aOperator, "validated-name", "{\"size\":50}").then().statusCode(201)
        .body("tenant", equalTo("tenant-a")).body("params.size", equalTo(50)).extract().path("id");
    // b's parameter is not a's
    createJob(aOperator, "validated-name", "{\"depth\":0.2}").then().statusCode(400)
        .contentType(startsWith("application/problem+json")).body("errors[0].field", equalTo("params.depth"));
    String bJob = createJob(bOperator, "validated-name", "{\"depth\":0.2}").then().statusCode(201)
        .body("tenant", equalTo("tenant-b")).body("params.depth", equalTo(0.2f)).extract().path("id");
    createJob(bOperator, "validated-name", "{\"size\":50}").then().statusCode(400)
        .body("errors[0].field", equalTo("params.size"));

    as(aOperator).post("/jobs/" + aJob + "/cancel");
    as(bOperator).post("/jobs/" + bJob + "/cancel");
  }

  @Test
  void another_tenants_kind_is_not_found_and_cannot_be_used() {
    declare(aWorker, "only-a", A_PARAMS).then().statusCode(201);

    as(bOperator).get("/kinds/only-a").then().statusCode(404)
        .contentType(startsWith("application/problem+json")).body("type", equalTo("/problems/kind-not-found"));
    as(bOperator).get("/kinds").then().statusCode(200).body("name", not(hasItem("only-a")));
    createJob(bOperator, "only-a", "{}").then().statusCode(400).body("errors[0].field", equalTo("kind"));
    as(bWorker).contentType(ContentType.JSON).body("{\"worker\":\"w\",\"kinds\":[\"only-a\"],\"waitSeconds\":0}")
        .post("/workers/claim").then().statusCode(400).body("errors[0].field", equalTo("kinds"));
    as(aOperator).get("/kinds/only-a").then().statusCode(200).body("tenant", equalTo("tenant-a"));
  }

  @Test
  void built_in_kinds_are_shared_and_their_names_stay_taken() {
    for (String key : List.of(aOperator, bOperator)) {
      as(key).get("/kinds").then().statusCode(200).body("name", hasItem("squares"));
      as(key).get("/kinds/squares").then().statusCode(200).body("runs", equalTo("in-process"))
          .body("$", not(org.hamcrest.Matchers.hasKey("tenant")));
    }
    declare(bWorker, "squares", B_PARAMS).then().statusCode(409).body("type", equalTo("/problems/kind-conflict"));
  }

  @Test
  void a_kind_with_unfinished_jobs_is_kept_in_its_tenant_only() {
    declare(aWorker, "busy-name", A_PARAMS).then().statusCode(201);
    declare(bWorker, "busy-name", A_PARAMS).then().statusCode(201);
    String aJob = createJob(aOperator, "busy-name", "{}").then().statusCode(201).extract().path("id");

    // a's queued job was validated against a's declaration: a cannot change it
    declare(aWorker, "busy-name", B_PARAMS).then().statusCode(409).body("type", equalTo("/problems/kind-conflict"));
    // b has no unfinished job of its own kind of that name
    declare(bWorker, "busy-name", B_PARAMS).then().statusCode(200).body("parameters[0].name", equalTo("depth"));
    as(aOperator).get("/kinds/busy-name").then().statusCode(200).body("parameters[0].name", equalTo("size"));

    as(aOperator).post("/jobs/" + aJob + "/cancel").then().statusCode(org.hamcrest.Matchers.oneOf(200, 202));
    declare(aWorker, "busy-name", B_PARAMS).then().statusCode(200);
  }

  @Test
  void instances_count_only_the_callers_tenants_running_jobs() {
    declare(aWorker, "counted", "[]").then().statusCode(201);
    declare(bWorker, "counted", "[]").then().statusCode(201);
    List<String> aJobs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      aJobs.add(createJob(aOperator, "counted", "{}").then().statusCode(201).extract().path("id"));
    }
    String bJob = createJob(bOperator, "counted", "{}").then().statusCode(201).extract().path("id");
    // one worker process serves both tenants, with a key of each
    String claim = "{\"worker\":\"shared-worker\",\"kinds\":[\"counted\"],\"waitSeconds\":0,\"leaseTtlSeconds\":60}";
    for (String key : List.of(aWorker, aWorker, bWorker)) {
      as(key).contentType(ContentType.JSON).body(claim).post("/workers/claim").then().statusCode(200);
    }

    assertThat(runningJobsOf(aOperator, "shared-worker")).isEqualTo(2);
    assertThat(runningJobsOf(bOperator, "shared-worker")).isEqualTo(1);
    assertThat(runningJobsOf(KeysRequired.ADMIN_KEY, "shared-worker")).isEqualTo(3);

    aJobs.forEach(id -> as(aOperator).post("/jobs/" + id + "/cancel"));
    as(bOperator).post("/jobs/" + bJob + "/cancel");
  }

  private static Integer runningJobsOf(String key, String instance) {
    List<Map<String, Object>> holders =
        as(key).get("/instances").then().statusCode(200).extract().jsonPath().getList("holders");
    return holders.stream().filter(h -> instance.equals(h.get("instance")))
        .map(h -> ((Number) h.get("runningJobs")).intValue()).findFirst().orElse(null);
  }

  private static io.restassured.response.Response declare(String key, String name, String parameters) {
    return as(key).contentType(ContentType.JSON).body("{\"description\":\"d\",\"parameters\":" + parameters + "}")
        .put("/kinds/" + name);
  }

  private static io.restassured.response.Response createJob(String key, String kind, String params) {
    return as(key).contentType(ContentType.JSON).body("{\"kind\":\"" + kind + "\",\"params\":" + params + "}").post("/jobs");
  }

  private static String key(String tenant, String role) {
    return as(KeysRequired.ADMIN_KEY).contentType(ContentType.JSON)
        .body("{\"tenant\":\"" + tenant + "\",\"roles\":[\"" + role + "\"],\"name\":\"" + tenant + "-" + role + "\"}")
        .post("/api-keys").then().statusCode(201).extract().path("key");
  }

  private static RequestSpecification as(String key) {
    return given().header("Authorization", "Bearer " + key);
  }
}
