package io.checkpointd.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

/** Ready only when the database answers and its schema is fully migrated. */
@Readiness
@ApplicationScoped
public class MigrationsReadiness implements HealthCheck {

  private final Flyway flyway;

  MigrationsReadiness(@io.quarkus.flyway.FlywayDataSource("engine") Flyway flyway) {
    this.flyway = flyway;
  }

  @Override
  public HealthCheckResponse call() {
    try {
      int pending = flyway.info().pending().length;
      return HealthCheckResponse.named("schema migrations").status(pending == 0).withData("pending", pending).build();
    } catch (RuntimeException e) {
      return HealthCheckResponse.named("schema migrations").down().withData("error", "database unreachable").build();
    }
  }
}
