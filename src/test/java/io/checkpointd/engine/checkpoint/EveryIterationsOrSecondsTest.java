package io.checkpointd.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EveryIterationsOrSecondsTest {

  @Test
  void every_n_iterations_is_due_at_n_and_not_before() {
    CheckpointPolicy policy = new EveryIterationsOrSeconds(5, null);
    assertThat(policy.isDue(4, Duration.ofHours(1))).isFalse();
    assertThat(policy.isDue(5, Duration.ZERO)).isTrue();
    assertThat(policy.isDue(6, Duration.ZERO)).isTrue();
  }

  @Test
  void every_t_seconds_is_due_once_t_has_passed() {
    CheckpointPolicy policy = new EveryIterationsOrSeconds(null, 2.5);
    assertThat(policy.isDue(1_000_000, Duration.ofMillis(2499))).isFalse();
    assertThat(policy.isDue(1, Duration.ofMillis(2500))).isTrue();
  }

  @Test
  void with_both_whichever_comes_first_wins() {
    CheckpointPolicy policy = new EveryIterationsOrSeconds(100, 1.0);
    assertThat(policy.isDue(100, Duration.ZERO)).isTrue();
    assertThat(policy.isDue(3, Duration.ofSeconds(1))).isTrue();
    assertThat(policy.isDue(3, Duration.ofMillis(999))).isFalse();
  }

  @Test
  void nothing_is_due_without_progress_since_the_last_checkpoint() {
    assertThat(new EveryIterationsOrSeconds(1, 0.001).isDue(0, Duration.ofDays(1))).isFalse();
  }

  @Test
  void a_policy_needs_at_least_one_limit() {
    assertThatThrownBy(() -> new EveryIterationsOrSeconds(null, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
