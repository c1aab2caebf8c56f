package io.checkpointd.engine;

import io.checkpointd.config.CheckpointdConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's threads: a small pool for job steps, one for the background loops (claim,
 * heartbeat, reaper) so that busy steps never delay a heartbeat, one for the liveness watch,
 * whose reconnects may block for the network timeout and must delay neither, and one for
 * housekeeping (retention), whose long deletes must not either.
 */
@ApplicationScoped
public class EngineThreads {

  private final ScheduledExecutorService steps;
  private final ScheduledExecutorService loops;
  private final ScheduledExecutorService liveness;
  private final ScheduledExecutorService housekeeping;

  EngineThreads(CheckpointdConfig config) {
    this.steps = Executors.newScheduledThreadPool(config.stepThreads(), named("checkpointd-step"));
    this.loops = Executors.newScheduledThreadPool(2, named("checkpointd-loop"));
    this.liveness = Executors.newSingleThreadScheduledExecutor(named("checkpointd-liveness"));
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(named("checkpointd-housekeeping"));
  }

  ScheduledExecutorService steps() {
    return steps;
  }

  ScheduledExecutorService loops() {
    return loops;
  }

  ScheduledExecutorService liveness() {
    return liveness;
  }

  ScheduledExecutorService housekeeping() {
    return housekeeping;
  }

  @PreDestroy
  void stop() throws InterruptedException {
    housekeeping.shutdownNow();
    loops.shutdownNow();
    liveness.shutdownNow();
    steps.shutdown();
    steps.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
