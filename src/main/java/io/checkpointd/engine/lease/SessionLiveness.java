package io.checkpointd.engine.lease;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.config.InstanceId;
import io.checkpointd.persistence.LivenessSession;
import io.checkpointd.persistence.LivenessSessions;
import io.checkpointd.persistence.RecoveryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * This instance's liveness session, and the watch over everyone else's. A killed instance's
 * session ends with its process, so its jobs are taken back within a watch interval rather than a
 * lease TTL; a frozen one keeps its session and is left to the TTL. Only registered instances are
 * watched: external HTTP workers have no session and keep the TTL.
 */
@ApplicationScoped
public class SessionLiveness {

  private static final Logger LOG = Logger.getLogger(SessionLiveness.class);

  private final LivenessSessions sessions;
  private final RecoveryStore recovery;
  private final InstanceId instance;
  private final CheckpointdConfig config;
  // Only the liveness thread touches the session after start.
  private LivenessSession session;
  private volatile boolean held;
  private boolean retryNoted;
  private volatile Runnable onReestablished = () -> {};

  SessionLiveness(LivenessSessions sessions, RecoveryStore recovery, InstanceId instance, CheckpointdConfig config) {
    this.sessions = sessions;
    this.recovery = recovery;
    this.instance = instance;
    this.config = config;
  }

  /**
   * Takes this instance's liveness lock at start. A restart right after a crash usually finds it
   * free; should the previous life's session still be ending (a vanished host), this waits up to
   * the network timeout for it.
   *
   * @throws InstanceIdInUseException when another live process holds the id
   */
  public void hold(Runnable onReestablished) {
    this.onReestablished = onReestablished;
    Duration patience = config.liveness().networkTimeout();
    long deadline = System.nanoTime() + patience.toNanos();
    boolean waited = false;
    while (!tryHold()) {
      if (System.nanoTime() > deadline) {
        throw new InstanceIdInUseException(instance.value(), patience);
      }
      if (!waited) {
        LOG.warnf("Instance id %s is held by another database session; waiting up to %d s for it to end",
            instance, patience.toSeconds());
        waited = true;
      }
      sleep(Duration.ofMillis(500));
    }
  }

  /** Whether this instance may claim work: it holds its liveness lock (or liveness is off). */
  public boolean mayClaim() {
    return held || !config.liveness().enabled();
  }

  /** One beat of the watch: keeps our own session, and takes back the jobs of instances whose session ended. */
  public void watch() {
    if (session == null) {
      reestablish();
      return;
    }
    LivenessSession.Look look;
    try {
      look = session.look(instance.value());
    } catch (RuntimeException e) {
      lost("it failed: " + e.getMessage());
      return;
    }
    if (!look.ownLockHeld()) {
      lost("it no longer holds this instance's lock (is a pooler in transaction mode between the service and"
          + " PostgreSQL? checkpointd.liveness.jdbc-url must be a direct connection)");
      return;
    }
    for (String ended : look.ended()) {
      // Every survivor sees the same ended session; the first to take it finds the jobs, the others none.
      int taken = recovery.requeueFromEndedSession(ended, config.lease().maxRecoveriesWithoutProgress());
      if (taken > 0) {
        LOG.infof("Instance %s is gone (its database session ended): took back %d of its jobs", ended, taken);
      }
    }
  }

  private boolean tryHold() {
    LivenessSession opened = sessions.open(config.liveness().networkTimeout());
    boolean ok = false;
    try {
      ok = opened.hold(instance.value());
    } finally {
      if (!ok) {
        opened.close();
      }
    }
    if (ok) {
      session = opened;
      held = true;
    }
    return ok;
  }

  private void reestablish() {
    boolean ok;
    try {
      ok = tryHold();
    } catch (RuntimeException e) {
      retryNote("the database is unreachable: " + e.getMessage());
      return;
    }
    if (ok) {
      retryNoted = false;
      LOG.infof("Liveness session of instance %s re-established", instance);
      onReestablished.run();
    } else {
      // Another process took the id while ours was down: it has taken (or will take) our jobs
      // back as its own previous life's; we must not claim under the same name beside it.
      retryNote("another process holds instance id " + instance.value() + "; this one claims nothing until it is free");
    }
  }

  /** Says once per outage why the session is not back yet; the watch retries every interval. */
  private void retryNote(String why) {
    if (!retryNoted) {
      LOG.warnf("Liveness session not re-established yet (%s); retrying", why);
      retryNoted = true;
    }
  }

  private void lost(String why) {
    held = false;
    session.close();
    session = null;
    // Survivors may take this instance's jobs now: the lease fence refuses its runners' writes,
    // the heartbeat stops them, and no new claim starts until the session is back.
    LOG.warnf("Liveness session of instance %s lost, as %s; re-establishing it, claiming nothing meanwhile", instance, why);
  }

  /** Ends the session at shutdown, after the drain: survivors take at once whatever the drain left. */
  public void release() {
    held = false;
    if (session != null) {
      session.close();
      session = null;
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the instance id", e);
    }
  }
}
