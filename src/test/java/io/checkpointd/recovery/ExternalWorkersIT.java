package io.checkpointd.recovery;

import static io.checkpointd.support.Jobs.squaresUpTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.checkpointd.support.CheckpointWatcher;
import io.checkpointd.support.PythonWorker;
import io.checkpointd.support.ServiceProcess;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original sketch's loop as an external worker: the packaged service and real
 * {@code squares_worker.py} processes, killed, interrupted and frozen as a user would.
 */
class ExternalWorkersIT {

  private static final double TTL = 3;

  @TempDir Path dir;
  private ServiceProcess service;
  private PythonWorker a;
  private PythonWorker b;

  @BeforeEach
  void serviceAndTwoWorkers() {
    service = new ServiceProcess(dir, List.of("checkpointd.instance-id=external-it")).start();
    a = worker("worker-a");
    await().atMost(Duration.ofSeconds(30)).until(() -> a.output().contains("declared seed-squares"));
    b = worker("worker-b");
  }

  private PythonWorker worker(String name) {
    return new PythonWorker(name, service.baseUrl(), dir, TTL);
  }

  @AfterEach
  void stop() throws Exception {
    PythonWorker.closeAll(List.of(a, b));
    service.close();
  }

  private String seedSquares(int limit, int delayMs) {
    return service.createJob("{\"kind\":\"seed-squares\",\"params\":{\"limit\":" + limit + ",\"delayMs\":" + delayMs + "}}");
  }

  private PythonWorker holder(String id) {
    String owner = service.awaitJob(id, Duration.ofSeconds(20), j -> j.getString("instance") != null).getString("instance");
    return owner.equals(a.name()) ? a : b;
  }

  private JsonPath succeeded(String id) {
    return service.awaitJob(id, Duration.ofSeconds(90), j -> "SUCCEEDED".equals(j.getString("status")));
  }

  @Test
  void kill_9_of_the_worker_holding_a_job_and_the_other_resumes_it_within_the_ttl_with_exact_squares() throws Exception {
    String id = seedSquares(60, 100);
    JsonPath before = service.awaitJob(id, Duration.ofSeconds(30), j -> j.getInt("lastCheckpoint.iteration") >= 10);
    PythonWorker victim = holder(id);
    PythonWorker other = victim == a ? b : a;
    long killedAt = System.nanoTime();
    victim.kill9();

    JsonPath taken = service.awaitJob(id, Duration.ofSeconds(30), j -> other.name().equals(j.getString("instance")));
    double seconds = (System.nanoTime() - killedAt) / 1e9;
    assertThat(seconds).as("taken over within the lease TTL plus a second").isLessThan(TTL + 1 + 2);
    assertThat(other.output()).contains("claimed " + id + " at iteration");
    assertThat(taken.getLong("progress.iteration")).isGreaterThanOrEqualTo(before.getLong("lastCheckpoint.iteration"));

    JsonPath done = succeeded(id);
    assertThat(done.getList("result.data", Long.class)).isEqualTo(squaresUpTo(60));
    assertThat(done.getInt("recoveries")).isEqualTo(1);
  }

  @Test
  void sigint_releases_the_job_at_its_current_iteration_and_another_worker_continues_from_exactly_there() throws Exception {
    String id = seedSquares(60, 100);
    service.awaitJob(id, Duration.ofSeconds(30), j -> j.getInt("progress.iteration") >= 12);
    PythonWorker interrupted = holder(id);
    PythonWorker other = interrupted == a ? b : a;
    interrupted.signal("INT");
    assertThat(interrupted.awaitExit(Duration.ofSeconds(20))).isZero();

    JsonPath released = service.api().get("/jobs/" + id + "/events").then().extract().jsonPath();
    String detail = released.getString("find { it.type == 'RELEASED' }.detail");
    assertThat(detail).contains("by " + interrupted.name() + " at iteration");
    int at = Integer.parseInt(detail.replaceAll(".*at iteration (\\d+).*", "$1"));
    assertThat(other.output()).as("nothing at risk: resumed exactly where it stopped")
        .containsPattern("claimed " + id + " at iteration " + at + " ");
    assertThat(succeeded(id).getList("result.data", Long.class)).isEqualTo(squaresUpTo(60));
  }

  @Test
  void a_frozen_worker_loses_its_job_and_when_thawed_its_writes_are_refused_and_sequences_never_go_back()
      throws Exception {
    String id = seedSquares(80, 100);
    service.awaitJob(id, Duration.ofSeconds(30), j -> j.getInt("lastCheckpoint.iteration") >= 10);
    PythonWorker frozen = holder(id);
    PythonWorker other = frozen == a ? b : a;
    try (CheckpointWatcher watcher = new CheckpointWatcher(List.of(id), () -> service)) {
      frozen.signal("STOP");
      service.awaitJob(id, Duration.ofSeconds(30), j -> other.name().equals(j.getString("instance")));
      Thread.sleep(1000);
      frozen.signal("CONT");
      await().atMost(Duration.ofSeconds(30)).until(() -> frozen.output().contains("lease lost on " + id));
      assertThat(succeeded(id).getList("result.data", Long.class)).isEqualTo(squaresUpTo(80));
      watcher.close();
      watcher.assertSequencesOnlyMovedForward();
    }
    assertThat(frozen.isAlive()).as("the stale worker goes on serving").isTrue();
  }

  @Test
  void pause_and_cancel_reach_an_external_worker_and_resume_continues_on_any_worker() throws Exception {
    String id = seedSquares(60, 100);
    service.awaitJob(id, Duration.ofSeconds(30), j -> j.getInt("progress.iteration") >= 6);
    service.api().post("/jobs/" + id + "/pause").then().statusCode(202);
    JsonPath paused = service.awaitJob(id, Duration.ofSeconds(20), j -> "PAUSED".equals(j.getString("status")));
    assertThat(paused.getLong("lastCheckpoint.iteration")).as("nothing at risk").isEqualTo(paused.getLong("progress.iteration"));
    Thread.sleep(1500);
    assertThat(service.job(id).getString("status")).as("a paused job stays paused").isEqualTo("PAUSED");

    service.api().post("/jobs/" + id + "/resume").then().statusCode(202);
    assertThat(succeeded(id).getList("result.data", Long.class)).isEqualTo(squaresUpTo(60));

    String cancelled = seedSquares(200, 100);
    service.awaitJob(cancelled, Duration.ofSeconds(30), j -> j.getInt("progress.iteration") >= 3);
    service.api().post("/jobs/" + cancelled + "/cancel").then().statusCode(202);
    service.awaitJob(cancelled, Duration.ofSeconds(20), j -> "CANCELLED".equals(j.getString("status")));
  }
}
