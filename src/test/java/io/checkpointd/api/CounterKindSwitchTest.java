package io.checkpointd.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counter kind is a benchmark helper: a service that has not switched it on does not offer it. */
@QuarkusTest
@TestProfile(CounterKindSwitchTest.CounterOff.class)
@WithTestResource(EmbeddedPostgresResource.class)
class CounterKindSwitchTest {

  /** As in production: the tests' own profile turns counter on. */
  public static class CounterOff implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("checkpointd.kinds.counter-enabled", "false");
    }
  }

  @Test
  void the_kinds_list_does_not_offer_counter() {
    given().when().get("/kinds").then().statusCode(200)
        .body("name", hasItem("squares"))
        .body("name", not(hasItem("counter")));
  }

  @Test
  void a_counter_job_is_a_400_unknown_kind() {
    given().contentType(ContentType.JSON).body("{\"kind\": \"counter\", \"params\": {\"stateBytes\": 67108864}}")
        .when().post("/jobs")
        .then().statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("unknown kind 'counter'"))
        .body("detail", not(containsString("known kinds: counter")));
  }
}
