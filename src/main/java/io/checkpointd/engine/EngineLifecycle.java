package io.checkpointd.engine;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.config.InstanceId;
import io.checkpointd.engine.lease.HeldLeases;
import io.checkpointd.engine.lease.LeaseHeartbeat;
import io.checkpointd.engine.lease.LeaseReaper;
import io.checkpointd.engine.lease.SessionLiveness;
import io.checkpointd.event.JobEventBus;
import io.checkpointd.model.JobEvent;
import io.checkpointd.model.JobEventType;
import io.checkpointd.model.RequestedStop;
import io.checkpointd.persistence.RecoveryStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
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
  private final RecoveryStore recovery;
  private final HeldLeases held;
  private final InstanceId instance;
  private final CheckpointdConfig config;
  private final EngineThreads threads;
  private final ClusterEvents clusterEvents;
  private final JobEventBus bus;
  private final SessionLiveness liveness;
  private final FinishedJobsSweep retention;
  private final OverRuntimeSweep overRuntime;
  private final ProgressPulse progress;
  private final List<ScheduledFuture<?>> claimLoops = new CopyOnWriteArrayList<>();
  private final List<ScheduledFuture<?>> leaseLoops = new CopyOnWriteArrayList<>();
  private volatile long lastLoopRun = System.nanoTime();

  EngineLifecycle(
      JobExecutor executor,
      LeaseHeartbeat heartbeat,
      LeaseReaper reaper,
      RecoveryStore recovery,
      HeldLeases held,
      InstanceId instance,
      CheckpointdConfig config,
      EngineThreads threads,
      ClusterEvents clusterEvents,
      JobEventBus bus,
      SessionLiveness liveness,
      FinishedJobsSweep retention,
      OverRuntimeSweep overRuntime,
      ProgressPulse progress) {
    this.executor = executor;
    this.heartbeat = heartbeat;
    this.reaper = reaper;
    this.recovery = recovery;
    this.held = held;
    this.instance = instance;
    this.config = config;
    this.threads = threads;
    this.clusterEvents = clusterEvents;
    this.bus = bus;
    this.liveness = liveness;
    this.retention = retention;
    this.overRuntime = overRuntime;
    this.progress = progress;
  }

  void onStart(@Observes StartupEvent event) {
    if (!config.engine().enabled()) {
      LOG.info("Engine disabled (checkpointd.engine.enabled=false): this instance only serves the API");
      clusterEvents.start(() -> {});
      return;
    }
    if (config.liveness().enabled()) {
      // First: it refuses to start beside a live process with our id, and once we hold it no
      // survivor can mistake the jobs this life claims for our previous life's. Once re-established
      // after a loss, beat at once: leases taken meanwhile stop their runners now, not a beat later.
      liveness.hold(() -> threads.loops().execute(new RunAndLogErrors("heartbeat", heartbeat::beat)));
    }
    // Jobs still leased to our own name were held by our previous life, which died: take them
    // back at once rather than wait for their leases to expire.
    int abandoned = recovery.requeueAbandonedBy(instance.value(), config.lease().maxRecoveriesWithoutProgress());
    if (abandoned > 0) {
      LOG.infof("Instance %s restarted: resuming %d jobs its previous run left behind", instance, abandoned);
    }
    bus.subscribe(this::onJobEvent);
    executor.startAccepting();
    every(claimLoops, "claim", config.pollInterval(), executor::claimAvailable);
    every(leaseLoops, "heartbeat", config.lease().heartbeatInterval(), heartbeat::beat);
    every(leaseLoops, "progress", ProgressPulse.INTERVAL, progress::pulse);
    every(leaseLoops, "reaper", config.lease().reapInterval(), reaper::reap);
    every(claimLoops, threads.housekeeping(), "retention", config.retention().interval(), retention::sweep);
    every(claimLoops, threads.housekeeping(), "runtime limit", OverRuntimeSweep.INTERVAL, overRuntime::sweep);
    if (config.liveness().enabled()) {
      every(leaseLoops, threads.liveness(), "liveness watch", config.liveness().watchInterval(), liveness::watch);
    }
    clusterEvents.start(this::claimSoon);
    LOG.infof("Engine started as instance %s with %d workers", instance, config.workers());
  }

  /** Queued work wakes idle workers; a pause or cancel reaches the job's runner, wherever it was asked. */
  private void onJobEvent(JobEvent event) {
    if (event.type().mayQueue()) {
      claimSoon();
    } else if (event.type() == JobEventType.PAUSE_REQUESTED || event.type() == JobEventType.CANCEL_REQUESTED) {
      RequestedStop stop = event.type() == JobEventType.PAUSE_REQUESTED ? RequestedStop.PAUSE : RequestedStop.CANCEL;
      held.of(event.jobId()).ifPresent(holder -> holder.stopRequested(stop));
    }
  }

  private void claimSoon() {
    threads.loops().execute(new RunAndLogErrors("claim", executor::claimAvailable));
  }

  void onStop(@Observes ShutdownEvent event) {
    claimLoops.forEach(loop -> loop.cancel(false));
    clusterEvents.stop();
    // Leases are renewed until the drain ends: a slow drain must not lose them, or its final
    // checkpoints would be refused.
    executor.drain();
    leaseLoops.forEach(loop -> loop.cancel(false));
    // Last: whatever the drain could not release, survivors take at once. On the liveness thread,
    // which owns the session; the process's exit closes it anyway should this not finish in time.
    try {
      threads.liveness().submit(liveness::release).get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debugf("Liveness session not closed before exit: %s", e.getMessage());
    }
  }

  private void every(List<ScheduledFuture<?>> group, String name, Duration interval, Runnable body) {
    every(group, threads.loops(), name, interval, body);
  }

  private void every(
      List<ScheduledFuture<?>> group, ScheduledExecutorService on, String name, Duration interval, Runnable body) {
    Runnable beat = () -> {
      lastLoopRun = System.nanoTime();
      body.run();
    };
    group.add(
        on.scheduleWithFixedDelay(
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
    List<ScheduledFuture<?>> loops = new java.util.ArrayList<>(claimLoops);
    loops.addAll(leaseLoops);
    return !loops.isEmpty() && loops.stream().noneMatch(ScheduledFuture::isDone) && recent;
  }
}
