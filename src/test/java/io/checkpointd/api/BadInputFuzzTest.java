package io.checkpointd.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.EngineOff;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

/**
 * Generated bad input (jqwik's generators, shapes drawn from a fixed seed; a failure prints its request) against
 * every endpoint: JSON of every shape with the fields the API knows and wrong values, numbers JSON
 * allows and Java does not hold, broken JSON, odd headers and path segments. Whatever comes, the
 * answer is never a 5xx, a 4xx is a problem document whose status is the answer's, and a refused
 * request changed nothing stored. The engine is off, so that only these requests change the database.
 * The live streams are left out: a valid one never ends.
 */
@QuarkusTest
@TestProfile(EngineOff.class)
@WithTestResource(EmbeddedPostgresResource.class)
class BadInputFuzzTest {

  private static final long SEED = 20261204L;
  private static final int CASES_PER_ENDPOINT = 25;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FIELDS = List.of(
      "kind", "params", "checkpoint", "everyIterations", "everySeconds", "maxAttempts", "limit", "delayMs",
      "lease", "seq", "iteration", "total", "state", "stateVersion", "result", "error", "retryable",
      "worker", "kinds", "leaseTtlSeconds", "description", "parameters", "name", "type", "defaultValue",
      "minimum", "maximum", "fromSeq", "toSeq", "statePatch", "op", "path", "value", "retainAfterSuccess");

  @Inject DataSource db;

  private final Random random = new Random(SEED);

  private final Arbitrary<String> scalar = Arbitraries.oneOf(
      Arbitraries.of("1e400", "-1e400", "9223372036854775808", "-0", "0.0000001", "1E2", "123456789012345678901234567890",
          "true", "false", "null", "-1", "0", "2147483648", "[]", "{}", "\"\"", "\"squares\"", "\"\\u0000\"",
          "\"PAUSED\"", "\"prev\"", "\"" + "x".repeat(5000) + "\""),
      Arbitraries.integers().map(String::valueOf),
      Arbitraries.doubles().map(String::valueOf),
      Arbitraries.strings().ofMaxLength(40).map(s -> {
        try {
          return JSON.writeValueAsString(s);
        } catch (Exception e) {
          return "\"\"";
        }
      }));

  @Test
  void no_generated_request_gets_a_server_error_and_a_refused_one_changes_nothing() throws Exception {
    List<String> failures = new ArrayList<>();
    java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    String job = given().contentType("application/json").body("{\"kind\":\"squares\",\"params\":{\"limit\":5}}")
        .post("/jobs").then().statusCode(201).extract().path("id");
    for (Endpoint endpoint : endpoints()) {
      for (int i = 0; i < CASES_PER_ENDPOINT; i++) {
        String path = endpoint.path();
        String body = path.equals("/workers/claim") ? claimBody() : body();
        String before = stored();
        RequestSpecification request = given().contentType("application/json").body(body);
        for (String param : List.of("id", "name", "seq")) {
          if (path.contains("{" + param + "}")) {
            request.pathParam(param, pathSegment(param.equals("id") ? job : null));
          }
        }
        if (path.equals("/jobs") && endpoint.method().equals("GET")) {
          for (String query : List.of("status", "kind", "limit", "cursor")) {
            if (random.nextBoolean()) {
              request.queryParam(query, pathSegment(null));
            }
          }
        }
        if (random.nextBoolean()) {
          request.header("Idempotency-Key", Arbitraries.strings().ascii().ofMaxLength(300).sample()
              .replaceAll("[\\x00-\\x1f\\x7f]", "?"));
        }
        Response r = request.request(endpoint.method(), path);
        statuses.merge(r.statusCode(), 1, Integer::sum);
        String what = endpoint.method() + " " + path + " " + abbreviated(body) + " -> " + r.statusCode();
        if (r.statusCode() >= 500) {
          failures.add(what + " " + abbreviated(r.body().asString()));
        } else if (r.statusCode() >= 400) {
          if (!String.valueOf(r.contentType()).startsWith("application/problem+json")) {
            failures.add(what + ": content type " + r.contentType());
          } else {
            JsonNode problem = JSON.readTree(r.body().asString());
            if (problem.path("status").asInt() != r.statusCode() || problem.path("title").asText().isEmpty()) {
              failures.add(what + ": problem " + abbreviated(problem.toString()));
            }
          }
          if (!before.equals(stored())) {
            failures.add(what + ": refused, yet the database changed");
          }
        }
      }
    }
    System.out.println("BadInputFuzzTest answers by status: " + statuses);
    // the generated requests reached the service's checks, not only its router
    assertThat(statuses.keySet()).contains(400, 404);
    assertThat(failures).isEmpty();
  }

  private record Endpoint(String method, String path) {}

  private static List<Endpoint> endpoints() {
    List<Endpoint> all = new ArrayList<>();
    for (String p : List.of("/jobs", "/jobs/{id}/fork", "/jobs/{id}/rewind", "/jobs/{id}/heartbeat", "/jobs/{id}/checkpoints",
        "/jobs/{id}/succeed", "/jobs/{id}/fail", "/jobs/{id}/release", "/workers/claim")) {
      all.add(new Endpoint("POST", p));
    }
    for (String p : List.of("/jobs/{id}", "/jobs/{id}/events", "/jobs/{id}/checkpoints", "/jobs/{id}/checkpoints/{seq}",
        "/jobs/{id}/checkpoints/latest", "/kinds", "/kinds/{name}", "/kinds/{name}/compatibility", "/jobs", "/instances")) {
      all.add(new Endpoint("GET", p));
    }
    for (String p : List.of("/jobs/{id}/pause", "/jobs/{id}/resume", "/jobs/{id}/cancel")) {
      all.add(new Endpoint("POST", p));
    }
    all.add(new Endpoint("PUT", "/kinds/{name}"));
    all.add(new Endpoint("DELETE", "/jobs/{id}"));
    return all;
  }

  /** A JSON body of any shape, broken now and then. */
  private String body() {
    String json = value(3);
    int roll = random.nextInt(10);
    if (roll == 0) {
      return json.substring(0, random.nextInt(json.length() + 1)); // cut short
    }
    return roll == 1 ? json + "}" : json;
  }

  /** A claim that never waits: a valid one would long-poll the test's time away. */
  private String claimBody() {
    String json = value(2);
    if (json.startsWith("{") && json.length() > 2) {
      return "{\"waitSeconds\":" + Arbitraries.of("0", "-1", "1e400", "\"x\"", "100000").sample()
          + "," + json.substring(1);
    }
    return json;
  }

  private String value(int depth) {
    int roll = random.nextInt(depth <= 0 ? 1 : 4);
    if (roll == 1) {
      StringBuilder b = new StringBuilder("{");
      int n = random.nextInt(5);
      for (int i = 0; i < n; i++) {
        b.append(i == 0 ? "" : ",").append('"').append(FIELDS.get(random.nextInt(FIELDS.size()))).append("\":").append(value(depth - 1));
      }
      return b.append('}').toString();
    }
    if (roll == 2) {
      StringBuilder b = new StringBuilder("[");
      int n = random.nextInt(4);
      for (int i = 0; i < n; i++) {
        b.append(i == 0 ? "" : ",").append(value(depth - 1));
      }
      return b.append(']').toString();
    }
    return scalar.sample();
  }

  /** A path segment: the real job now and then, a valid but unknown id, or garbage. */
  private String pathSegment(String real) {
    int roll = random.nextInt(5);
    if (roll == 0 && real != null) {
      return real;
    }
    if (roll == 1) {
      return UUID.randomUUID().toString();
    }
    return Arbitraries.strings().withCharRange('!', '~').withChars('é', '中').ofMinLength(1).ofMaxLength(60)
        .sample().replaceAll("[/{}]", "x");
  }

  /** What a refused request must not have changed: every job, checkpoint and event. */
  private String stored() throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select (select count(*) || ':' || coalesce(max(updated_at)::text, '') from job)"
            + " || '/' || (select count(*) || ':' || coalesce(sum(seq), 0) from checkpoint)"
            + " || '/' || (select count(*) || ':' || coalesce(max(id), 0) from job_event)"
            + " || '/' || (select count(*) from job_kind)")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String abbreviated(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
