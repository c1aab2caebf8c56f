package io.checkpointd.kind.primes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrimesKindTest {

  private final PrimesKind kind = new PrimesKind();

  @ParameterizedTest(name = "pi({0}) = {2} with segments of {1}")
  @CsvSource({
    "0, 1000, 0", "1, 1000, 0", "2, 1000, 1", "100, 1000, 25", "1000, 1000, 168", "1009, 1000, 169",
    "1000000, 1000, 78498", "1000000, 65536, 78498", "10000000, 1000000, 664579"
  })
  void counts_exactly_the_known_number_of_primes_whatever_the_segment_size(long n, long segment, long expected) {
    PrimesParams params = new PrimesParams(n, segment, 0);
    PrimesState state = kind.initialState(params);
    long steps = 0;
    while (!kind.isDone(params, state)) {
      state = kind.step(params, state);
      steps++;
    }
    assertThat(kind.result(params, state).count()).isEqualTo(expected);
    assertThat(steps).isEqualTo(kind.total(params));
  }

  @Test
  void a_job_with_small_segments_computes_its_base_primes_once_not_at_every_step() {
    PrimesParams params = new PrimesParams(10_000_000, 1000, 0);
    PrimesState state = kind.initialState(params);
    while (!kind.isDone(params, state)) {
      state = kind.step(params, state);
    }
    assertThat(kind.result(params, state).count()).isEqualTo(664_579);
    assertThat(kind.basePrimes.computations()).isEqualTo(1);
  }

  @Test
  void a_job_resumed_from_a_checkpoint_by_another_instance_ends_with_the_same_count() {
    PrimesParams params = new PrimesParams(1_000_000, 1000, 0);
    PrimesState state = kind.initialState(params);
    for (int i = 0; i < 400; i++) {
      state = kind.step(params, state);
    }
    // The checkpoint holds only (segment, count); a fresh instance has no base primes yet.
    PrimesKind resumed = new PrimesKind();
    PrimesState restored = new PrimesState(state.segment(), state.count());
    while (!resumed.isDone(params, restored)) {
      restored = resumed.step(params, restored);
    }
    assertThat(resumed.result(params, restored).count()).isEqualTo(78_498);
    assertThat(resumed.basePrimes.computations()).isEqualTo(1);
  }
}
