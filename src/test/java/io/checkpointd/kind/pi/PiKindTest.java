package io.checkpointd.kind.pi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PiKindTest {

  private final PiKind kind = new PiKind();
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void a_run_resumed_from_json_checkpoints_gives_the_same_estimate_as_an_uninterrupted_one() throws Exception {
    PiParams params = new PiParams(1_000_000, 30_000, 7, 0);
    PiState uninterrupted = kind.initialState(params);
    while (!kind.isDone(params, uninterrupted)) {
      uninterrupted = kind.step(params, uninterrupted);
    }
    PiState resumed = kind.initialState(params);
    while (!kind.isDone(params, resumed)) {
      resumed = mapper.readValue(mapper.writeValueAsString(kind.step(params, resumed)), PiState.class);
    }
    assertThat(kind.result(params, resumed)).isEqualTo(kind.result(params, uninterrupted));
    assertThat(kind.iteration(resumed)).isEqualTo(kind.total(params)).isEqualTo(34);
  }

  @Test
  void the_estimate_is_close_to_pi_and_draws_exactly_the_samples_asked_for() {
    PiParams params = new PiParams(2_000_000, 100_000, 42, 0);
    PiState state = kind.initialState(params);
    while (!kind.isDone(params, state)) {
      state = kind.step(params, state);
    }
    PiResult result = kind.result(params, state);
    assertThat(result.samples()).isEqualTo(2_000_000);
    assertThat(result.estimate()).isCloseTo(Math.PI, within(0.01));
  }

  @Test
  void different_seeds_draw_different_points() {
    PiParams a = new PiParams(10_000, 10_000, 1, 0);
    PiParams b = new PiParams(10_000, 10_000, 2, 0);
    assertThat(kind.step(a, kind.initialState(a)).inside()).isNotEqualTo(kind.step(b, kind.initialState(b)).inside());
  }
}
