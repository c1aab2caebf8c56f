package io.checkpointd.recovery;

import static io.checkpointd.support.SharedDatabaseCluster.assertAllExact;
import static io.checkpointd.support.SharedDatabaseCluster.runningPerInstance;
import static io.checkpointd.support.SharedDatabaseCluster.squaresJobs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.checkpointd.support.CheckpointWatcher;
import io.checkpointd.support.ServiceProcess;
import io.checkpointd.support.SharedDatabaseCluster;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several instances of the packaged service on one PostgreSQL (in the style of db-scheduler's
 * ClusterTests): instances are killed, frozen, and the database goes away, and every job still
 * ends with exactly its result, its checkpoints never going backwards.
 */
class ClusterIT {

  /** How long the jobs of a test may take to end, on a busy machine. */
  private static final Duration JOB_PATIENCE = Duration.ofSeconds(120);

  @TempDir Path dir;
  private SharedDatabaseCluster cluster;

  @BeforeEach
  void database() throws Exception {
    cluster = SharedDatabaseCluster.start(dir);
  }

  @AfterEach
  void stopAll() throws Exception {
    cluster.close();
  }

  private ServiceProcess instance(String name, int workers, String... extra) throws Exception {
    List<String> props = new ArrayList<>(List.of(
        "checkpointd.instance-id=" + name,
        "checkpointd.workers=" + workers,
        "checkpointd.lease.heartbeat-interval=300ms",
        "checkpointd.lease.ttl=2s",
        "checkpointd.checkpoints.keep=1000"));
    props.addAll(List.of(extra)); // later settings win
    return cluster.instance(name, props);
  }

  @Test
  void killing_one_of_three_instances_mid_run_loses_no_job_and_computes_nothing_twice_at_once() throws Exception {
    ServiceProcess a = instance("node-a", 8);
    ServiceProcess b = instance("node-b", 8);
    ServiceProcess c = instance("node-c", 8);
    // 15 s each: still running when the victim dies, even on a busy machine
    List<String> ids = squaresJobs(a, 24, 150);
    ServiceProcess[] live = {b};
    try (CheckpointWatcher watcher = new CheckpointWatcher(ids, () -> live[0])) {
      await().atMost(Duration.ofSeconds(30)).until(() -> runningPerInstance(a).size() == 3);
      Map<String, Long> running = runningPerInstance(a);
      String victim = running.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      ServiceProcess killed = Map.of("node-a", a, "node-b", b, "node-c", c).get(victim);
      ServiceProcess survivor = killed == b ? c : b;
      live[0] = survivor;
      long orphaned = running.get(victim);
      killed.kill9();

      assertAllExact(survivor, ids, 150, JOB_PATIENCE);
      long recovered = ids.stream().filter(id -> survivor.job(id).getInt("recoveries") > 0).count();
      assertThat(recovered).as("the victim's jobs were taken over; running before the kill: %s", running)
          .isEqualTo(orphaned);
      watcher.close();
      watcher.assertSequencesOnlyMovedForward();
    }
  }

  @Test
  void a_frozen_owner_that_wakes_after_losing_its_leases_writes_nothing_more() throws Exception {
    ServiceProcess frozen = instance("node-frozen", 10);
    // long enough (15 s) to still run when the other node is up and the leases have expired
    List<String> ids = squaresJobs(frozen, 6, 150);
    await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> frozen.job(id).getInt("progress.iteration") >= 4));
    // Frozen before the other node starts: on a busy machine a start can outlast the jobs.
    frozen.freeze();
    ServiceProcess other = instance("node-other", 10);
    ServiceProcess[] live = {other};
    try (CheckpointWatcher watcher = new CheckpointWatcher(ids, () -> live[0])) {
      // the frozen node's leases expire and the other node takes every job over
      try {
        await().atMost(Duration.ofSeconds(60)).until(
            () -> ids.stream().allMatch(id -> !"node-frozen".equals(other.job(id).getString("instance"))
                && other.job(id).getInt("recoveries") == 1));
      } catch (RuntimeException e) {
        throw new AssertionError("jobs: " + ids.stream().map(id -> other.job(id).prettify()).toList()
            + "\nother node:\n" + other.output(), e);
      }
      frozen.thaw();

      assertAllExact(other, ids, 150, JOB_PATIENCE);
      watcher.close();
      watcher.assertSequencesOnlyMovedForward();
      for (String id : ids) {
        List<String> events = other.api().get("/jobs/" + id + "/events").then().extract().path("type");
        assertThat(events.stream().filter("SUCCEEDED"::equals)).hasSize(1);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> frozen.output().contains("lease"));
      assertThat(frozen.output()).doesNotContain("succeeded after");
    }
  }

  @Test
  void jobs_survive_the_database_going_away_and_coming_back() throws Exception {
    ServiceProcess node = instance("node-1", 10);
    List<String> ids = squaresJobs(node, 5, 50);
    await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> node.job(id).getInt("progress.iteration") >= 6));

    cluster.stopDatabase();
    await().atMost(Duration.ofSeconds(30)).until(() -> node.api().get("/q/health/ready").statusCode() == 503);
    Thread.sleep(3000); // an outage longer than the lease
    cluster.startDatabaseAgain();

    assertAllExact(node, ids, 50, JOB_PATIENCE);
    await().atMost(Duration.ofSeconds(30)).until(() -> node.api().get("/q/health/ready").statusCode() == 200);
  }

  @Test
  void a_pause_sent_to_one_instance_reaches_the_job_on_another_by_signal_not_by_heartbeat() throws Exception {
    ServiceProcess api = instance("node-api", 0, "checkpointd.engine.enabled=false");
    // heartbeats this slow cannot carry the pause within the test's patience: only the signal can
    ServiceProcess worker = instance("node-worker", 4,
        "checkpointd.lease.heartbeat-interval=60s", "checkpointd.lease.ttl=180s", "checkpointd.poll-interval=60s");
    String id = api.createJob("{\"kind\":\"squares\",\"params\":{\"limit\":600,\"delayMs\":100}}");
    // started by the signal too: the worker polls only every 60 s
    // and has checkpointed: a pause before its first step would have nothing to save
    JsonPath running = api.awaitJob(id, Duration.ofSeconds(10),
        j -> "RUNNING".equals(j.getString("status")) && j.get("lastCheckpoint") != null);
    assertThat(running.getString("instance")).isEqualTo("node-worker");

    api.api().post("/jobs/" + id + "/pause").then().statusCode(202);
    JsonPath paused = api.awaitJob(id, Duration.ofSeconds(10), j -> "PAUSED".equals(j.getString("status")));
    assertThat(paused.getLong("lastCheckpoint.iteration")).isEqualTo(paused.getLong("progress.iteration"));

    api.api().post("/jobs/" + id + "/cancel").then().statusCode(200);
  }
}
