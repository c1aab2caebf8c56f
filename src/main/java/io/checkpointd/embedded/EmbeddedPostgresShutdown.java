package io.checkpointd.embedded;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Stops the embedded PostgreSQL as the very last step of shutdown. Why not a JVM shutdown hook:
 * hooks run concurrently, so the database could stop while the engine is still writing the
 * checkpoints that graceful shutdown promises.
 */
@ApplicationScoped
public class EmbeddedPostgresShutdown {

  void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
    EmbeddedPostgresLauncher.stop();
  }
}
