package io.checkpointd.auth;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.model.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The key that reads {@code /q/metrics} and nothing else ({@code CHECKPOINTD_METRICS_KEY}): a
 * scraper's configuration then holds no API key that could read or cancel jobs.
 */
@ApplicationScoped
public class MetricsKey {

  private static final int MIN_LENGTH = 32;

  /** SHA-256 of the key, hex; null when none is configured (metrics open). */
  private final byte[] hash;

  MetricsKey(CheckpointdConfig config) {
    this.hash = config.auth().metricsKey().map(key -> {
      if (key.length() < MIN_LENGTH) {
        throw new IllegalStateException("CHECKPOINTD_METRICS_KEY (checkpointd.auth.metrics-key) must be at least "
            + MIN_LENGTH + " characters; make one with: openssl rand -base64 32");
      }
      return digest(key);
    }).orElse(null);
  }

  /** Whether metrics need a key. */
  public boolean isSet() {
    return hash != null;
  }

  /**
   * Compared as digests of equal length, in constant time: the time taken tells neither how much
   * of a guess was right nor how long the key is.
   */
  public boolean matches(String key) {
    return hash != null && MessageDigest.isEqual(hash, digest(key));
  }

  private static byte[] digest(String key) {
    return Sha256.hex(key.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
  }
}
