package io.checkpointd.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged service refusing to start, as a user meets it: it says why, and leaves nothing running. */
class RefusedStartIT {

  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

  @TempDir Path workDir;

  @Test
  void a_refused_start_says_why_and_stops_the_embedded_postgresql_it_started() throws Exception {
    Path log = workDir.resolve("service.log");
    Process service = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dquarkus.http.port=0", "-Dcheckpointd.auth.admin-key=short", "-jar", JAR.toString()))
        .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(service.waitFor(120, TimeUnit.SECONDS)).as("the refused service exits").isTrue();
      String output = Files.readString(log);
      assertThat(service.exitValue()).as(output).isEqualTo(1);
      assertThat(output).contains("at least 32 characters");
      // the database was started (its directory exists) and is stopped: PostgreSQL removes its
      // postmaster.pid as it stops, and a running one would hold the directory
      assertThat(workDir.resolve("data/postgres/PG_VERSION")).exists();
      assertThat(workDir.resolve("data/postgres/postmaster.pid")).as("the embedded PostgreSQL outlived the service").doesNotExist();
    } finally {
      service.destroyForcibly();
      StalePostmaster.stopIfRunning(workDir.resolve("data/postgres"), Duration.ofSeconds(30));
    }
  }
}
