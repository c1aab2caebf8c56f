package io.checkpointd.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When a runner's next burst runs, and the stop it has been asked for. Its lock is not the burst's
 * monitor, so a stop never waits for a step in progress: a client's command returns at once however
 * long a step runs. A stop cuts a pending wait short.
 */
final class BurstSchedule {

  private final Runnable burst;
  private final ScheduledExecutorService steps;
  private final Object lock = new Object();
  private ScheduledFuture<?> next;
  private volatile StopReason stopReason;

  BurstSchedule(Runnable burst, ScheduledExecutorService steps) {
    this.burst = burst;
    this.steps = steps;
  }

  /** The stop asked for, or null. */
  StopReason stopReason() {
    return stopReason;
  }

  /** Asks for a stop at the next iteration boundary; a lost lease overrides any other reason. */
  void stop(StopReason reason) {
    synchronized (lock) {
      if (stopReason == null || reason == StopReason.LEASE_LOST) {
        stopReason = reason;
      }
      runNowIfWaiting();
    }
  }

  /** Forgets a stop whose request was withdrawn (a resume cleared a pending pause). */
  void withdraw(StopReason reason) {
    synchronized (lock) {
      if (stopReason == reason) {
        stopReason = null;
      }
    }
  }

  /** The next burst, after {@code delay}; at once if a stop is pending. */
  void after(Duration delay) {
    synchronized (lock) {
      next = steps.schedule(burst, delay.toNanos(), TimeUnit.NANOSECONDS);
      if (stopReason != null) {
        runNowIfWaiting();
      }
    }
  }

  /** A burst now, for a runner parked on a write that has committed. */
  void now() {
    steps.execute(burst);
  }

  private void runNowIfWaiting() {
    // cancel() succeeds only for a burst that has not started, so at most one burst runs.
    if (next != null && next.getDelay(TimeUnit.NANOSECONDS) > 0 && next.cancel(false)) {
      next = steps.schedule(burst, 0, TimeUnit.NANOSECONDS);
    }
  }
}
