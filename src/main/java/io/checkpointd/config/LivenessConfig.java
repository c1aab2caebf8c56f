package io.checkpointd.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Session liveness: each instance holds an advisory lock on a dedicated database session, which
 * PostgreSQL releases when the process dies; survivors watch for that and take the dead
 * instance's jobs back at once instead of after the lease TTL. A frozen or partitioned process
 * keeps its session, so for it the TTL still decides.
 *
 * <p>{@code checkpointd.liveness.*}, read through {@link CheckpointdConfig#liveness()}.
 */
public interface LivenessConfig {
  /** Whether this instance holds a liveness session and watches the others'; false leaves takeover to the lease TTL. */
  @WithDefault("true")
  boolean enabled();

  /** How often this instance looks for instances whose session ended (one cheap query on its own session). */
  @WithDefault("250ms")
  Duration watchInterval();

  /**
   * A direct JDBC URL for the liveness session, when {@code quarkus.datasource.jdbc.url} goes
   * through a pooler in transaction mode (PgBouncer), which cannot keep a session lock; same
   * credentials as the datasource. Defaults to the datasource URL.
   */
  Optional<String> jdbcUrl();

  /**
   * How soon PostgreSQL ends the session of a host that vanished without closing its socket
   * (TCP keepalives and {@code tcp_user_timeout} on the session), and how long the session's own
   * statements may take. A starting instance also waits this long for the session of its
   * previous life to end before it refuses to start.
   */
  @WithDefault("10s")
  Duration networkTimeout();
}
