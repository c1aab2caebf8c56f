package io.checkpointd.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.KeysRequired;
import io.checkpointd.support.MetricsKeyRequired;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/** Metrics with a key of their own: a scraper needs it (or an admin key); probes need nothing. */
@QuarkusTest
@TestProfile(MetricsKeyRequired.class)
@WithTestResource(EmbeddedPostgresResource.class)
class MetricsKeyTest {

  private static final String METRICS_KEY = MetricsKeyRequired.METRICS_KEY;

  @Test
  void metrics_without_a_key_or_with_a_wrong_one_are_a_401_problem_with_a_challenge() {
    for (RequestSpecification request : new RequestSpecification[] {given(), given().header("Authorization", "Bearer "),
        as("not-the-metrics-key"), as(METRICS_KEY + "x"), given().header("Authorization", "Basic " + METRICS_KEY)}) {
      Response r = request.get("/q/metrics");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(r.jsonPath().getString("type")).isEqualTo("/problems/unauthorized");
      assertThat(r.asString()).doesNotContain("checkpointd_");
    }
    // a trailing slash or a dot segment does not get around it
    given().get("/q/metrics/").then().statusCode(401);
    given().get("/q/./metrics").then().statusCode(401);
  }

  @Test
  void the_metrics_key_reads_metrics() {
    as(METRICS_KEY).get("/q/metrics").then().statusCode(200)
        .body(containsString("checkpointd_engine_workers")).body(containsString("checkpointd_checkpoints_committed_total"));
  }

  @Test
  void an_admin_key_reads_metrics_and_an_operator_key_is_refused_with_a_403_problem() {
    as(KeysRequired.ADMIN_KEY).get("/q/metrics").then().statusCode(200).body(containsString("checkpointd_"));
    String operator = as(KeysRequired.ADMIN_KEY).contentType(ContentType.JSON)
        .body("{\"tenant\":\"acme\",\"roles\":[\"operator\"],\"name\":\"metrics-test\"}")
        .post("/api-keys").then().statusCode(201).extract().path("key");
    as(operator).get("/q/metrics").then().statusCode(403)
        .contentType(startsWith("application/problem+json")).body("type", equalTo("/problems/forbidden"))
        .body("detail", containsString("metrics key"));
  }

  @Test
  void the_metrics_key_opens_nothing_else() {
    as(METRICS_KEY).get("/jobs").then().statusCode(401).contentType(startsWith("application/problem+json"));
  }

  @Test
  void health_stays_open_for_probes() {
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/health/ready").then().statusCode(200);
  }

  private static RequestSpecification as(String key) {
    return given().header("Authorization", "Bearer " + key);
  }
}
