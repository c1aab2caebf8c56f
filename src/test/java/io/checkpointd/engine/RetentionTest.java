package io.checkpointd.engine;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.checkpointd.support.MovableDatabaseClock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Finished jobs go after checkpointd.retention.finished-jobs (30 days by default), with their
 * results, events and checkpoints; jobs that have not finished stay however old. Time moves by
 * {@link MovableDatabaseClock}, never by sleeping.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class RetentionTest {

  @Inject MovableDatabaseClock clock;
  @Inject FinishedJobsSweep sweep;

  @AfterEach
  void backToNow() {
    clock.reset();
  }

  @Test
  void finished_jobs_are_deleted_after_their_retention_and_unfinished_ones_are_kept() {
    String succeeded = Jobs.squares(3, 0, 1);
    Jobs.awaitStatus(succeeded, "SUCCEEDED");
    String cancelled = Jobs.squares(1000, 1000, 5);
    given().post("/jobs/" + cancelled + "/cancel").then().statusCode(org.hamcrest.Matchers.anyOf(
        org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(202)));
    Jobs.awaitStatus(cancelled, "CANCELLED");
    String paused = Jobs.squares(1000, 1000, 5);
    given().post("/jobs/" + paused + "/pause");
    Jobs.awaitStatus(paused, "PAUSED");

    // within the retention: nothing goes
    clock.advance(Duration.ofDays(29));
    sweep.sweep();
    given().get("/jobs/" + succeeded).then().statusCode(200);
    given().get("/jobs/" + cancelled).then().statusCode(200);

    clock.advance(Duration.ofDays(2));
    assertThat(sweep.sweep()).isGreaterThanOrEqualTo(2);
    clock.reset();
    given().get("/jobs/" + succeeded).then().statusCode(404);
    given().get("/jobs/" + succeeded + "/events").then().statusCode(404);
    given().get("/jobs/" + cancelled).then().statusCode(404);
    given().get("/jobs/" + cancelled + "/checkpoints").then().statusCode(404);
    // paused is not finished: it may be resumed any day
    given().get("/jobs/" + paused).then().statusCode(200);
    given().post("/jobs/" + paused + "/cancel");
  }
}
