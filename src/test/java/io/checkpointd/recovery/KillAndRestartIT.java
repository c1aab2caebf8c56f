package io.checkpointd.recovery;

import static io.checkpointd.support.Jobs.squaresUpTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.ServiceProcess;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery with real processes: the packaged service, its embedded PostgreSQL in a working
 * directory, killed and started again as a user would.
 */
class KillAndRestartIT {

  private static final List<String> FAST_HEARTBEATS =
      List.of("checkpointd.instance-id=recovery-it", "checkpointd.lease.heartbeat-interval=300ms",
          "checkpointd.checkpoints.keep=1000");

  @TempDir Path workDir;

  @Test
  void after_kill_9_a_job_resumes_from_its_last_checkpoint_and_ends_with_exactly_the_squares() throws Exception {
    try (ServiceProcess service = new ServiceProcess(workDir, FAST_HEARTBEATS).start()) {
      String id = service.createJob(
          "{\"kind\":\"squares\",\"params\":{\"limit\":80,\"delayMs\":100},\"checkpoint\":{\"everyIterations\":5}}");
      JsonPath beforeKill =
          service.awaitJob(id, Duration.ofSeconds(60), j -> j.getInt("lastCheckpoint.iteration") >= 15);
      int checkpointSeenBeforeKill = beforeKill.getInt("lastCheckpoint.iteration");

      service.kill9();
      service.start();

      Matcher resumed = Pattern.compile("Job " + id + " resumed from checkpoint (\\d+) at iteration (\\d+)")
          .matcher(service.output());
      assertThat(resumed.find()).as("the restarted service says where it resumed:\n" + service.output()).isTrue();
      int resumedAt = Integer.parseInt(resumed.group(2));
      assertThat(resumedAt).isGreaterThanOrEqualTo(checkpointSeenBeforeKill).isPositive();

      // Every checkpoint, old life and new, in sequence: iterations only ever go forward.
      List<Map<String, Integer>> checkpoints =
          service.api().get("/jobs/" + id + "/checkpoints").then().statusCode(200).extract().jsonPath().getList("$");
      assertThat(checkpoints).isNotEmpty();
      for (int i = 1; i < checkpoints.size(); i++) {
        assertThat(checkpoints.get(i).get("seq")).isEqualTo(checkpoints.get(i - 1).get("seq") - 1);
        assertThat(checkpoints.get(i).get("iteration")).isLessThan(checkpoints.get(i - 1).get("iteration"));
      }

      JsonPath done = service.awaitJob(id, Duration.ofSeconds(60), j -> "SUCCEEDED".equals(j.getString("status")));
      assertThat(done.getList("result.data", Long.class)).isEqualTo(squaresUpTo(80));
      assertThat(done.getInt("recoveries")).isEqualTo(1);
    }
  }

  @Test
  void after_sigterm_a_job_resumes_from_exactly_the_iteration_it_stopped_at() throws Exception {
    try (ServiceProcess service = new ServiceProcess(workDir, FAST_HEARTBEATS).start()) {
      // No periodic checkpoint: whatever the restart finds was written by the shutdown itself.
      String id = service.createJob(
          "{\"kind\":\"squares\",\"params\":{\"limit\":60,\"delayMs\":100},\"checkpoint\":{\"everyIterations\":100000}}");
      service.awaitJob(id, Duration.ofSeconds(60), j -> j.getInt("progress.iteration") >= 10);

      service.terminate();
      Matcher stopped = Pattern.compile("Job " + id + ": checkpointed at iteration (\\d+) and released for shutdown")
          .matcher(service.output());
      assertThat(stopped.find()).as("the service checkpointed on SIGTERM:\n" + service.output()).isTrue();
      int stoppedAt = Integer.parseInt(stopped.group(1));
      assertThat(stoppedAt).isGreaterThanOrEqualTo(10);

      service.start();
      assertThat(service.output()).contains("Job " + id + " resumed from checkpoint 1 at iteration " + stoppedAt);

      JsonPath done = service.awaitJob(id, Duration.ofSeconds(60), j -> "SUCCEEDED".equals(j.getString("status")));
      assertThat(done.getList("result.data", Long.class)).isEqualTo(squaresUpTo(60));
      assertThat(done.getInt("lastCheckpoint.seq")).isEqualTo(1);
      assertThat(done.getInt("lastCheckpoint.iteration")).isEqualTo(stoppedAt);
      assertThat(done.getInt("recoveries")).as("a graceful stop is not a crash").isZero();
    }
  }
}
