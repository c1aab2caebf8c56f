package io.checkpointd.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.LongStream;

/** Short ways to drive jobs through the HTTP API in tests. */
public final class Jobs {

  private Jobs() {}

  /** Creates a job from a JSON body and returns its id. */
  public static String create(String body) {
    return given().contentType(ContentType.JSON).body(body)
        .when().post("/jobs")
        .then().statusCode(201)
        .extract().path("id");
  }

  public static String squares(int limit, int delayMs, int everyIterations) {
    return create(
        "{\"kind\":\"squares\",\"params\":{\"limit\":" + limit + ",\"delayMs\":" + delayMs
            + "},\"checkpoint\":{\"everyIterations\":" + everyIterations + "}}");
  }

  public static JsonPath get(String id) {
    return given().when().get("/jobs/" + id).then().statusCode(200).extract().jsonPath();
  }

  /** Polls the job until {@code condition} holds, failing after {@code timeout}. */
  public static JsonPath awaitJob(String id, Duration timeout, Predicate<JsonPath> condition) {
    // A path that is not there yet (lastCheckpoint before the first one) reads as null: not yet.
    return await().atMost(timeout).pollInterval(Duration.ofMillis(50)).ignoreException(NullPointerException.class)
        .until(() -> get(id), condition::test);
  }

  public static JsonPath awaitStatus(String id, String status) {
    return awaitJob(id, Duration.ofSeconds(60), j -> status.equals(j.getString("status")));
  }

  /** The squares of 0 .. limit - 1: what a squares job must return, however often it was interrupted. */
  public static List<Long> squaresUpTo(long limit) {
    return LongStream.range(0, limit).map(i -> i * i).boxed().toList();
  }
}
