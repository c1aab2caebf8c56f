package io.checkpointd.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The service of an organisation with an identity provider: JWTs of {@link TestIssuer} accepted,
 * in mode {@code auto} with no admin key, so that JWT alone is what makes credentials required.
 */
public class JwtConfigured implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "checkpointd.auth.mode", "auto",
        "mp.jwt.verify.publickey.location", TestIssuer.publicKeyFile().toString(),
        "mp.jwt.verify.issuer", TestIssuer.ISSUER);
  }
}
