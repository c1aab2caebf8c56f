package io.checkpointd.kind.primes;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sieving primes up to a bound, computed once per bound. Why: every step needs the primes up to
 * sqrt(high); recomputed on each step, a job with small segments spent 37 minutes of CPU where 43 s
 * do. They derive from the params alone, so they stay out of the checkpoint and a resumed job (on
 * this instance or another) simply computes them again.
 */
final class BasePrimes {

  /** Bounds in use at once: one per running primes job with a distinct n, at most. */
  private static final int MAX_BOUNDS = 64;

  private final Map<Integer, int[]> byBound =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, int[]> eldest) {
          return size() > MAX_BOUNDS;
        }
      };

  private final AtomicLong computations = new AtomicLong();

  /** The primes up to {@code bound}, inclusive, ascending. */
  synchronized int[] upTo(int bound) {
    return byBound.computeIfAbsent(bound, this::compute);
  }

  /** How many times primes were computed rather than found: what the tests count. */
  long computations() {
    return computations.get();
  }

  private int[] compute(int limit) {
    computations.incrementAndGet();
    boolean[] composite = new boolean[limit + 1];
    int[] primes = new int[limit + 1];
    int found = 0;
    for (int i = 2; i <= limit; i++) {
      if (!composite[i]) {
        primes[found++] = i;
        for (long m = (long) i * i; m <= limit; m += i) {
          composite[(int) m] = true;
        }
      }
    }
    return Arrays.copyOf(primes, found);
  }
}
