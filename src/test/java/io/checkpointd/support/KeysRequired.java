package io.checkpointd.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The service as deployed with authentication: keys required, a configured admin key. */
public class KeysRequired implements QuarkusTestProfile {

  public static final String ADMIN_KEY = "test-admin-key-0123456789-abcdefghijklmnop";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "checkpointd.auth.mode", "keys",
        "checkpointd.auth.admin-key", ADMIN_KEY,
        // quotas of tenants of QuotasTest, so that other tenants keep the defaults
        "checkpointd.quotas.tenants.small.active-jobs", "2",
        "checkpointd.quotas.tenants.burst.creations-per-minute", "3",
        "checkpointd.quotas.tenants.tight.state-bytes", "2000",
        "checkpointd.quotas.tenants.roomy.state-bytes", "100000",
        "checkpointd.quotas.tenants.hoarder.stored-bytes", "10000");
  }
}
