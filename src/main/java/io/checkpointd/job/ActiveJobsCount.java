package io.checkpointd.job;

import java.util.function.IntSupplier;

/**
 * A tenant's active jobs as last counted in the database, plus this instance's creations since:
 * what {@link TenantQuotas} admits a creation against without counting at each one.
 *
 * <p>Why a refusal stands on a count up to {@link #REFUSED_FRESH_MILLIS} old: counting goes through
 * up to the quota's worth of index entries (about 25 ms at 100,000) under this tenant's lock, and a
 * client that keeps creating at its quota is exactly what the quota is there to stop. Counting at
 * every refusal let such a client hold a database core for nothing and queue the tenant's every
 * creation behind the lock. A tenant at its quota is admitted within that interval of a job ending.
 */
final class ActiveJobsCount {

  /** A count older than this is taken again before anything is decided on it. */
  static final long FRESH_MILLIS = 1000;
  /** How long a count that leaves no room refuses without counting again. */
  static final long REFUSED_FRESH_MILLIS = 100;
  // Long ago, yet now - NEVER does not overflow (now - Long.MIN_VALUE wraps negative: never stale).
  private static final long NEVER = Long.MIN_VALUE / 2;

  private int active;
  private long countedAt = NEVER;

  /**
   * Whether one more creation stays within {@code quota}. Counts again when the count is stale, or
   * when admitting could reach the quota (so the last places go by an exact count), unless the
   * count already left no room a moment ago.
   */
  synchronized boolean admit(int quota, long now, IntSupplier count) {
    long age = now - countedAt;
    boolean full = active >= quota;
    if (age > FRESH_MILLIS || (active + 1 >= quota && !(full && age <= REFUSED_FRESH_MILLIS))) {
      active = count.getAsInt();
      countedAt = now;
    }
    if (active >= quota) {
      return false;
    }
    active++;
    return true;
  }
}
