package io.checkpointd.engine;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.config.InstanceId;
import io.checkpointd.engine.lease.LeaseHeartbeat;
import io.checkpointd.engine.lease.LeaseReaper;
import io.checkpointd.persistence.JobRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Starts the engine's loops when the service starts, and drains it when the service stops. */
@ApplicationScoped
public class EngineLifecycle {

  private static final Logger LOG = Logger.getLogger(EngineLifecycle.class);

  private final JobExecutor executor;
  private final LeaseHeartbeat heartbeat;
  private final LeaseReaper reaper;
  private final JobRepository jobs;
  private final InstanceId instance;
  private final CheckpointdConfig config;
  private final EngineThreads threads;
  private final JobSignalListener signals;
  private final List<ScheduledFuture<?>> loops = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile long lastLoopRun = System.nanoTime();

  EngineLifecycle(
      JobExecutor executor,
      LeaseHeartbeat heartbeat,
      LeaseReaper reaper,
      JobRepository jobs,
      InstanceId instance,
      CheckpointdConfig config,
      EngineThreads threads,
      JobSignalListener signals) {
    this.executor = executor;
    this.heartbeat = heartbeat;
    this.reaper = reaper;
    this.jobs = jobs;
    this.instance = instance;
    this.config = config;
    this.threads = threads;
    this.signals = signals;
  }

  void onStart(@Observes StartupEvent event) {
    if (!config.engine().enabled()) {
      LOG.info("Engine disabled (checkpointd.engine.enabled=false): this instance only serves the API");
      return;
    }
    // Jobs still leased to our own name were held by our previous life, which died: take them
    // back at once rather than wait for their leases to expire.
    int abandoned = jobs.requeueAbandonedBy(instance.value(), config.lease().maxRecoveriesWithoutProgress());
    if (abandoned > 0) {
      LOG.infof("Instance %s restarted: resuming %d jobs its previous run left behind", instance, abandoned);
    }
    executor.startAccepting();
    every("claim", config.pollInterval(), executor::claimAvailable);
    every("heartbeat", config.lease().heartbeatInterval(), heartbeat::beat);
    every("reaper", config.lease().heartbeatInterval(), reaper::reap);
    signals.start();
    LOG.infof("Engine started as instance %s with %d workers", instance, config.workers());
  }

  void onStop(@Observes ShutdownEvent event) {
    loops.forEach(loop -> loop.cancel(false));
    signals.stop();
    executor.drain();
  }

  private void every(String name, Duration interval, Runnable body) {
    Runnable beat = () -> {
      lastLoopRun = System.nanoTime();
      body.run();
    };
    loops.add(
        threads.loops().scheduleWithFixedDelay(
            new RunAndLogErrors(name, beat), 0, interval.toMillis(), TimeUnit.MILLISECONDS));
  }

  /**
   * Whether the engine's loops still run: none was cancelled by an error, and one ran recently.
   * A database outage does not make the engine dead (the loops go on, failing), only unready.
   */
  public boolean isAlive() {
    if (!config.engine().enabled()) {
      return true;
    }
    long slowest = Math.max(config.pollInterval().toNanos(), config.lease().heartbeatInterval().toNanos());
    boolean recent = System.nanoTime() - lastLoopRun < 3 * slowest + TimeUnit.SECONDS.toNanos(30);
    return !loops.isEmpty() && loops.stream().noneMatch(ScheduledFuture::isDone) && recent;
  }
}
