package io.checkpointd.kind.primes;

import io.checkpointd.kind.JobKind;
import io.checkpointd.kind.ParamSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Counts the primes up to {@code n} with a segmented sieve of Eratosthenes, one segment per step.
 * The state is only (segment, count): the sieving primes up to sqrt(n) derive from the params, so
 * they stay out of the checkpoint and are computed once per job run ({@link BasePrimes}).
 */
@ApplicationScoped
public class PrimesKind implements JobKind<PrimesParams, PrimesState> {

  final BasePrimes basePrimes = new BasePrimes();

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
    return new PrimesState(state.segment() + 1, state.count() + countPrimes(low, high, basePrimes.upTo(bound(params))));
  }

  /** One bound for the whole job, sqrt(n): each segment's sieve stops at its own sqrt(high). */
  private static int bound(PrimesParams params) {
    return (int) Math.sqrt((double) params.n()) + 1;
  }

  /**
   * Primes in [low, high], sieving with {@code basePrimes}: ascending, and at least every prime up
   * to sqrt(high).
   */
  static long countPrimes(long low, long high, int[] basePrimes) {
    if (high < 2) {
      return 0;
    }
    boolean[] composite = new boolean[(int) (high - low + 1)];
    for (int p : basePrimes) {
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
