package io.checkpointd.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A PostgreSQL server left running on a data directory by a service that died with kill -9.
 *
 * <p>The server is detached from the JVM, so it outlives it and keeps its {@code postmaster.pid}
 * lock; a new server on the same directory would refuse to start. Its clients died with the JVM,
 * so a SIGTERM ("smart" shutdown) ends it cleanly and quickly.
 */
public final class StalePostmaster {

  private static final Logger LOG = Logger.getLogger(StalePostmaster.class);

  private StalePostmaster() {}

  public static void stopIfRunning(Path dataDir, Duration timeout) throws IOException {
    Optional<ProcessHandle> postmaster = find(dataDir);
    if (postmaster.isEmpty()) {
      return;
    }
    ProcessHandle process = postmaster.get();
    LOG.infof("Stopping PostgreSQL (pid %d) left running on %s by a previous run", process.pid(), dataDir);
    process.destroy();
    try {
      process.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // A postmaster that ignores SIGTERM this long is wedged; SIGKILL is safe for the data
      // (PostgreSQL recovers from its WAL on the next start), only slower.
      LOG.warnf("PostgreSQL (pid %d) did not stop in %s, killing it", process.pid(), timeout);
      process.destroyForcibly();
      process.onExit().join();
    }
  }

  private static Optional<ProcessHandle> find(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    // The pid may have been reused by an unrelated process since; only a postgres counts.
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
  }
}
