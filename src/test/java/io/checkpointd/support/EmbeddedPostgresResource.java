package io.checkpointd.support;

import io.checkpointd.embedded.EmbeddedPostgresLauncher;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real PostgreSQL for {@code @QuarkusTest}s, in a fresh temporary directory per test run. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

  private EmbeddedPostgres postgres;

  @Override
  public Map<String, String> start() {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("checkpointd-test-pg");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    postgres = EmbeddedPostgresLauncher.start(dataDir, 0);
    return Map.of(
        "quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
        "quarkus.datasource.username", "postgres",
        "quarkus.datasource.password", EmbeddedPostgresLauncher.password(dataDir));
  }

  @Override
  public void stop() {
    try {
      if (postgres != null) {
        postgres.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
