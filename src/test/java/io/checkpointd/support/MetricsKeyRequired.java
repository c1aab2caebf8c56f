package io.checkpointd.support;

import java.util.HashMap;
import java.util.Map;

/** Keys required, as deployed, and a metrics key: {@code /q/metrics} answers only to it or an admin key. */
public class MetricsKeyRequired extends KeysRequired {

  public static final String METRICS_KEY = "test-metrics-key-0123456789-abcdefghijklmn";

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("checkpointd.auth.metrics-key", METRICS_KEY);
    return config;
  }
}
