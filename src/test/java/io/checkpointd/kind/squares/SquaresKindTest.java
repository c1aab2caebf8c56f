package io.checkpointd.kind.squares;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquaresKindTest {

  private final SquaresKind kind = new SquaresKind();
  private final SquaresParams params = new SquaresParams(5, 500);

  @Test
  void each_step_appends_the_square_of_the_counter_and_counts_up() {
    SquaresState state = kind.initialState(params);
    for (int i = 0; i < 5; i++) {
      assertThat(kind.isDone(params, state)).isFalse();
      state = kind.step(params, state);
    }
    assertThat(kind.isDone(params, state)).isTrue();
    assertThat(state.counter()).isEqualTo(5);
    assertThat(kind.result(params, state).data()).containsExactly(0L, 1L, 4L, 9L, 16L);
    assertThat(kind.iteration(state)).isEqualTo(5);
    assertThat(kind.total(params)).isEqualTo(5);
  }

  @Test
  void a_step_does_not_change_the_state_it_was_given() {
    SquaresState before = new SquaresState(2, List.of(0L, 1L));
    SquaresState after = kind.step(params, before);
    assertThat(before.data()).containsExactly(0L, 1L);
    assertThat(after.data()).containsExactly(0L, 1L, 4L);
  }

  @Test
  void resuming_from_a_json_round_trip_gives_the_same_result_as_an_uninterrupted_run() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    SquaresParams p = new SquaresParams(50, 0);
    SquaresState uninterrupted = kind.initialState(p);
    SquaresState interrupted = kind.initialState(p);
    while (!kind.isDone(p, uninterrupted)) {
      uninterrupted = kind.step(p, uninterrupted);
    }
    while (!kind.isDone(p, interrupted)) {
      interrupted = kind.step(p, interrupted);
      if (interrupted.counter() % 7 == 0) {
        interrupted = mapper.readValue(mapper.writeValueAsBytes(interrupted), SquaresState.class);
      }
    }
    assertThat(interrupted).isEqualTo(uninterrupted);
  }

  @Test
  void the_delay_is_the_pace_between_steps() {
    assertThat(kind.pace(params)).isEqualTo(Duration.ofMillis(500));
  }
}
