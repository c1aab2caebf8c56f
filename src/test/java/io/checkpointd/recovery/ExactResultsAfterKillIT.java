package io.checkpointd.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.ServiceProcess;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pi and primes: a run killed with -9 mid-way ends with exactly the result of an uninterrupted run. */
class ExactResultsAfterKillIT {

  private static final List<String> PROPS =
      List.of("checkpointd.instance-id=exact-it", "checkpointd.lease.heartbeat-interval=300ms");

  private static final String PI =
      "{\"kind\":\"pi\",\"params\":{\"samples\":3000000,\"samplesPerStep\":50000,\"seed\":2026,\"delayMs\":40},"
          + "\"checkpoint\":{\"everyIterations\":7}}";
  private static final String PRIMES =
      "{\"kind\":\"primes\",\"params\":{\"n\":20000000,\"segmentSize\":250000,\"delayMs\":40},"
          + "\"checkpoint\":{\"everyIterations\":7}}";

  @TempDir Path workDir;

  @Test
  void pi_and_primes_killed_mid_run_end_with_the_results_of_uninterrupted_runs() throws Exception {
    try (ServiceProcess service = new ServiceProcess(workDir, PROPS).start()) {
      String piInterrupted = service.createJob(PI);
      String primesInterrupted = service.createJob(PRIMES);
      service.awaitJob(piInterrupted, Duration.ofSeconds(60), j -> j.getInt("lastCheckpoint.iteration") >= 14);
      service.awaitJob(primesInterrupted, Duration.ofSeconds(60), j -> j.getInt("lastCheckpoint.iteration") >= 14);

      service.kill9();
      service.start();

      String piUninterrupted = service.createJob(PI);
      String primesUninterrupted = service.createJob(PRIMES);
      JsonPath pi = done(service, piInterrupted);
      JsonPath primes = done(service, primesInterrupted);

      assertThat(pi.getInt("recoveries")).isEqualTo(1);
      assertThat(primes.getInt("recoveries")).isEqualTo(1);
      assertThat(pi.getMap("result")).isEqualTo(done(service, piUninterrupted).getMap("result"));
      assertThat(primes.getMap("result")).isEqualTo(done(service, primesUninterrupted).getMap("result"));
      assertThat(primes.getLong("result.count")).isEqualTo(1_270_607); // pi(2 * 10^7)
      assertThat(pi.getLong("result.samples")).isEqualTo(3_000_000);
    }
  }

  private static JsonPath done(ServiceProcess service, String id) {
    return service.awaitJob(id, Duration.ofSeconds(120), j -> "SUCCEEDED".equals(j.getString("status")));
  }
}
