package io.checkpointd.recovery;

import static io.checkpointd.support.Jobs.squaresUpTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.ServiceProcess;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pause and cancel keep their word across kill -9, with real processes. */
class LifecycleAcrossRestartsIT {

  private static final List<String> PROPS =
      List.of("checkpointd.instance-id=lifecycle-it", "checkpointd.lease.heartbeat-interval=300ms");

  @TempDir Path workDir;

  @Test
  void a_paused_job_stays_paused_at_the_same_iteration_across_kill_9_and_resumes_to_the_exact_result()
      throws Exception {
    try (ServiceProcess service = new ServiceProcess(workDir, PROPS).start()) {
      String id = service.createJob("{\"kind\":\"squares\",\"params\":{\"limit\":50,\"delayMs\":50}}");
      service.awaitJob(id, Duration.ofSeconds(60), j -> j.getInt("progress.iteration") >= 7);
      service.api().post("/jobs/" + id + "/pause").then().statusCode(202);
      JsonPath paused = service.awaitJob(id, Duration.ofSeconds(30), j -> "PAUSED".equals(j.getString("status")));
      long at = paused.getLong("lastCheckpoint.iteration");

      service.kill9();
      service.start();
      Thread.sleep(1500); // several poll and heartbeat intervals: time enough to start it by mistake

      JsonPath afterRestart = service.job(id);
      assertThat(afterRestart.getString("status")).isEqualTo("PAUSED");
      assertThat(afterRestart.getLong("progress.iteration")).isEqualTo(at);
      assertThat(afterRestart.getLong("lastCheckpoint.iteration")).isEqualTo(at);

      service.api().post("/jobs/" + id + "/resume").then().statusCode(202);
      JsonPath done = service.awaitJob(id, Duration.ofSeconds(60), j -> "SUCCEEDED".equals(j.getString("status")));
      assertThat(done.getList("result.data", Long.class)).isEqualTo(squaresUpTo(50));
    }
  }

  @Test
  void a_pause_asked_for_just_before_kill_9_ends_paused_and_a_cancel_survives_a_restart() throws Exception {
    try (ServiceProcess service = new ServiceProcess(workDir, PROPS).start()) {
      String pausing = service.createJob("{\"kind\":\"squares\",\"params\":{\"limit\":500,\"delayMs\":50}}");
      String cancelled = service.createJob("{\"kind\":\"squares\",\"params\":{\"limit\":500,\"delayMs\":50}}");
      service.awaitJob(pausing, Duration.ofSeconds(60), j -> j.getInt("progress.iteration") >= 3);
      service.api().post("/jobs/" + cancelled + "/cancel").then().statusCode(202);
      service.awaitJob(cancelled, Duration.ofSeconds(30), j -> "CANCELLED".equals(j.getString("status")));

      service.api().post("/jobs/" + pausing + "/pause").then().statusCode(202);
      service.kill9();
      service.start();
      Thread.sleep(1500);

      assertThat(service.job(pausing).getString("status")).isEqualTo("PAUSED");
      JsonPath stillCancelled = service.job(cancelled);
      assertThat(stillCancelled.getString("status")).isEqualTo("CANCELLED");
      service.api().get("/jobs/" + cancelled + "/checkpoints/latest").then().statusCode(200);
    }
  }
}
