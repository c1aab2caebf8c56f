package io.checkpointd.health;

import io.checkpointd.engine.EngineLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the engine's claim, heartbeat and reaper loops run. */
@Liveness
@ApplicationScoped
public class EngineLiveness implements HealthCheck {

  private final EngineLifecycle engine;

  EngineLiveness(EngineLifecycle engine) {
    this.engine = engine;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("engine loops").status(engine.isAlive()).build();
  }
}
