package io.checkpointd.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.JwtConfigured;
import io.checkpointd.support.TestIssuer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JWTs of an identity provider beside API keys, through the HTTP API, with tokens the test signs. */
@QuarkusTest
@TestProfile(JwtConfigured.class)
@WithTestResource(EmbeddedPostgresResource.class)
class JwtTest {

  private static final String SQUARES = "{\"kind\":\"squares\",\"params\":{\"limit\":3,\"delayMs\":0}}";
  private static final String LONG = "{\"kind\":\"squares\",\"params\":{\"limit\":1000,\"delayMs\":1000}}";

  @Test
  void an_operator_token_creates_and_reads_its_tenants_job_and_another_tenants_token_gets_a_404() {
    String acme = TestIssuer.token("alice@acme").tenant("acme").groups("operator").signed();
    String beta = TestIssuer.token("bob@beta").tenant("beta").groups("operator", "viewer").signed();

    String id = as(acme).contentType(ContentType.JSON).body(SQUARES).post("/jobs")
        .then().statusCode(201).body("tenant", equalTo("acme")).extract().path("id");
    as(acme).get("/jobs/" + id).then().statusCode(200).body("tenant", equalTo("acme"));

    as(beta).get("/jobs/" + id).then().statusCode(404).contentType(startsWith("application/problem+json"));
    as(beta).post("/jobs/" + id + "/cancel").then().statusCode(404);
    assertThat(as(beta).get("/jobs").then().statusCode(200).extract().jsonPath().getList("items.id", String.class))
        .doesNotContain(id);
  }

  @Test
  void events_name_the_caller_by_the_tokens_subject() {
    String acme = TestIssuer.token("carol@acme").tenant("acme").groups("operator").signed();
    String id = as(acme).contentType(ContentType.JSON).body(LONG).post("/jobs").then().statusCode(201).extract().path("id");
    as(acme).post("/jobs/" + id + "/cancel").then().statusCode(org.hamcrest.Matchers.oneOf(200, 202));

    List<String> details = as(acme).get("/jobs/" + id + "/events").then().statusCode(200)
        .extract().jsonPath().getList("detail", String.class);
    assertThat(details.stream().filter(d -> d != null && d.contains("by token carol@acme")).count())
        .as("created and cancelled by the token's subject: %s", details).isGreaterThanOrEqualTo(2);
  }

  @Test
  void a_viewer_token_reads_its_tenants_jobs_but_cannot_create_one() {
    String operator = TestIssuer.token("dave@acme").tenant("acme").groups("operator").signed();
    String viewer = TestIssuer.token("erin@acme").tenant("acme").groups("viewer").signed();
    String id = as(operator).contentType(ContentType.JSON).body(SQUARES).post("/jobs").then().statusCode(201).extract().path("id");

    as(viewer).get("/jobs/" + id).then().statusCode(200);
    as(viewer).contentType(ContentType.JSON).body(SQUARES).post("/jobs")
        .then().statusCode(403).contentType(startsWith("application/problem+json")).body("type", equalTo("/problems/forbidden"));
  }

  @Test
  void groups_other_than_our_four_roles_give_no_role() {
    String staff = TestIssuer.token("frank@acme").tenant("acme").groups("staff", "Operator", "offline_access").signed();
    as(staff).get("/jobs").then().statusCode(403).contentType(startsWith("application/problem+json"));
  }

  @Test
  void an_expired_token_another_issuers_or_one_signed_by_another_key_is_a_401_problem_with_a_challenge() {
    Map<String, String> refused = Map.of(
        "expired", TestIssuer.token("alice@acme").tenant("acme").groups("operator").expired().signed(),
        "another issuer", TestIssuer.token("alice@acme").tenant("acme").groups("operator")
            .issuer("https://idp.elsewhere.test").signed(),
        "another key", TestIssuer.token("alice@acme").tenant("acme").groups("operator")
            .signedBy(TestIssuer.newKeyPair().getPrivate()).signed(),
        "not a token", "not-a-jwt");
    refused.forEach((what, token) -> {
      Response r = as(token).get("/jobs");
      assertThat(r.statusCode()).as(what).isEqualTo(401);
      assertThat(r.contentType()).as(what).startsWith("application/problem+json");
      assertThat(r.header("WWW-Authenticate")).as(what).startsWith("Bearer");
      assertThat(r.jsonPath().getString("detail")).as(what).contains("JWT").doesNotContain("Exception");
    });
  }

  @Test
  void configured_jwt_alone_requires_credentials() {
    given().get("/jobs").then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
        .contentType(startsWith("application/problem+json")).body("detail", containsString("API key or JWT"));
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void a_token_without_a_tenant_is_refused_unless_it_is_an_admins() {
    String operator = TestIssuer.token("gina@acme").groups("operator").signed();
    as(operator).get("/jobs").then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
        .contentType(startsWith("application/problem+json")).body("detail", containsString("'tenant' claim"));

    String badTenant = TestIssuer.token("gina@acme").tenant("ACME Corp").groups("operator").signed();
    as(badTenant).get("/jobs").then().statusCode(401).body("detail", containsString("'tenant' claim"));

    String admin = TestIssuer.token("root@idp").groups("admin").signed();
    as(admin).get("/api-keys").then().statusCode(200);
  }

  @Test
  void api_keys_work_beside_tokens_in_the_same_service() {
    String admin = TestIssuer.token("root@idp").groups("admin").signed();
    JsonPath created = as(admin).contentType(ContentType.JSON)
        .body("{\"tenant\":\"acme\",\"roles\":[\"operator\"],\"name\":\"ci\"}").post("/api-keys")
        .then().statusCode(201).extract().jsonPath();
    String key = created.getString("key");

    String id = as(key).contentType(ContentType.JSON).body(SQUARES).post("/jobs")
        .then().statusCode(201).body("tenant", equalTo("acme")).extract().path("id");
    String viewer = TestIssuer.token("erin@acme").tenant("acme").groups("viewer").signed();
    as(viewer).get("/jobs/" + id).then().statusCode(200);
    as(key).get("/jobs/" + id + "/events").then().statusCode(200)
        .body("detail", org.hamcrest.Matchers.hasItem(containsString("by key " + created.getString("prefix"))));

    as("ckd_00000000_nope").get("/jobs").then().statusCode(401).body("detail", not(containsString("JWT")));
    as(admin).delete("/api-keys/" + created.getString("id")).then().statusCode(204);
    as(key).get("/jobs").then().statusCode(401);
  }

  private static RequestSpecification as(String token) {
    return given().header("Authorization", "Bearer " + token);
  }
}
