package io.checkpointd.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-tenant quotas: a clear 429 problem naming the quota, and nothing created beyond it. */
@QuarkusTest
@TestProfile(KeysRequired.class)
@WithTestResource(EmbeddedPostgresResource.class)
class QuotasTest {

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

  private static String key(String tenant) {
    return as(KeysRequired.ADMIN_KEY).contentType(ContentType.JSON)
        .body("{\"tenant\":\"" + tenant + "\",\"roles\":[\"operator\",\"viewer\"]}")
        .post("/api-keys").then().statusCode(201).extract().path("key");
  }

  private static RequestSpecification as(String key) {
    return given().header("Authorization", "Bearer " + key);
  }
}
