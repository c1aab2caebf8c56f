package io.checkpointd.kind.primes;

import io.checkpointd.kind.JobKind;
import io.checkpointd.kind.ParamSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Counts the primes up to {@code n} with a segmented sieve of Eratosthenes, one segment per step.
 * The state is only (segment, count): the sieving primes up to sqrt(n) are cheap to recompute and
 * stay out of the checkpoint.
 */
@ApplicationScoped
public class PrimesKind implements JobKind<PrimesParams, PrimesState> {

  @Override
  public String name() {
    return "primes";
  }

  @Override
  public String description() {
    return "Counts the primes up to n with a segmented sieve, one segment per iteration.";
  }

  @Override
  public List<ParamSpec> parameters() {
    return List.of(
        ParamSpec.integer("n", 10_000_000, 0, 10_000_000_000L, "Count the primes less than or equal to n."),
        ParamSpec.integer("segmentSize", 1_000_000, 1_000, 10_000_000, "Numbers sieved per iteration."),
        ParamSpec.integer("delayMs", 0, 0, 60_000, "Simulated extra work before each iteration, in milliseconds."));
  }

  @Override
  public Class<PrimesParams> paramsType() {
    return PrimesParams.class;
  }

  @Override
  public Class<PrimesState> stateType() {
    return PrimesState.class;
  }

  @Override
  public PrimesState initialState(PrimesParams params) {
    return new PrimesState(0, 0);
  }

  @Override
  public PrimesState step(PrimesParams params, PrimesState state) {
    long low = state.segment() * params.segmentSize();
    long high = Math.min(low + params.segmentSize() - 1, params.n());
    return new PrimesState(state.segment() + 1, state.count() + countPrimes(low, high));
  }

  /** Primes in [low, high], sieving with the primes up to sqrt(high). */
  static long countPrimes(long low, long high) {
    if (high < 2) {
      return 0;
    }
    boolean[] composite = new boolean[(int) (high - low + 1)];
    for (int p : basePrimes((int) Math.sqrt((double) high) + 1)) {
      long square = (long) p * p;
      if (square > high) {
        break;
      }
      long start = Math.max(square, (low + p - 1) / p * p);
      for (long m = start; m <= high; m += p) {
        composite[(int) (m - low)] = true;
      }
    }
    long count = 0;
    for (long v = Math.max(low, 2); v <= high; v++) {
      if (!composite[(int) (v - low)]) {
        count++;
      }
    }
    return count;
  }

  private static int[] basePrimes(int limit) {
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

  @Override
  public boolean isDone(PrimesParams params, PrimesState state) {
    return state.segment() >= total(params);
  }

  @Override
  public PrimesResult result(PrimesParams params, PrimesState state) {
    return new PrimesResult(params.n(), state.count());
  }

  @Override
  public long iteration(PrimesState state) {
    return state.segment();
  }

  @Override
  public long total(PrimesParams params) {
    return (params.n() + params.segmentSize()) / params.segmentSize();
  }

  @Override
  public Duration pace(PrimesParams params) {
    return Duration.ofMillis(params.delayMs());
  }
}
