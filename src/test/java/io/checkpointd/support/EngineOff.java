package io.checkpointd.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The service without its engine: only the test claims, renews, reaps and checkpoints. */
public class EngineOff implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("checkpointd.engine.enabled", "false");
  }
}
