package io.checkpointd.config;

import io.smallrye.config.WithDefault;
import java.util.Optional;

/** {@code checkpointd.auth.*}, read through {@link CheckpointdConfig#auth()}. */
public interface AuthConfig {

  /** How requests are authenticated. */
  enum Mode {
    /** Keys required once an admin key is configured or a key exists; otherwise open, on loopback only. */
    AUTO,
    /** Keys always required. */
    KEYS,
    /** Open to anyone who reaches the port, on any address: on purpose, and logged. */
    NONE
  }

  @WithDefault("auto")
  Mode mode();

  /**
   * The first admin key ({@code CHECKPOINTD_ADMIN_KEY}), of the default tenant; at least 32
   * characters. With it, keys are required; it creates the others over the API.
   */
  Optional<String> adminKey();

  /**
   * A key for {@code /q/metrics} alone ({@code CHECKPOINTD_METRICS_KEY}), at least 32 characters,
   * so a scraper holds no API key. Unset, metrics are open; set, they need it or an admin key.
   */
  Optional<String> metricsKey();

  /**
   * JWTs of an organisation's identity provider, beside API keys. On when
   * {@code mp.jwt.verify.publickey.location} (a PEM or JWK set file, or a JWKS URL) and
   * {@code mp.jwt.verify.issuer} are set; roles come from the token's {@code groups}.
   */
  Jwt jwt();

  interface Jwt {
    /**
     * The claim that names the caller's tenant. A token without it is refused, unless it has the
     * admin role.
     */
    @WithDefault("tenant")
    String tenantClaim();
  }
}
