package io.checkpointd.model;

import static io.checkpointd.model.JobStatus.CANCELLED;
import static io.checkpointd.model.JobStatus.FAILED;
import static io.checkpointd.model.JobStatus.PAUSED;
import static io.checkpointd.model.JobStatus.QUEUED;
import static io.checkpointd.model.JobStatus.RUNNING;
import static io.checkpointd.model.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Walks every (from, to) pair of statuses against the table a reader can check by eye. */
class JobTransitionsTest {

  private static final Map<JobStatus, Set<JobStatus>> EXPECTED =
      Map.of(
          QUEUED, EnumSet.of(RUNNING, PAUSED, CANCELLED),
          RUNNING, EnumSet.of(SUCCEEDED, FAILED, QUEUED, PAUSED, CANCELLED),
          PAUSED, EnumSet.of(QUEUED, CANCELLED),
          FAILED, EnumSet.of(QUEUED, CANCELLED),
          SUCCEEDED, EnumSet.noneOf(JobStatus.class),
          CANCELLED, EnumSet.noneOf(JobStatus.class));

  @Test
  void every_pair_of_statuses_is_allowed_exactly_when_the_table_says_so() {
    for (JobStatus from : JobStatus.values()) {
      for (JobStatus to : JobStatus.values()) {
        boolean expected = EXPECTED.get(from).contains(to);
        assertThat(JobTransitions.isAllowed(from, to)).as(from + " -> " + to).isEqualTo(expected);
        if (expected) {
          JobTransitions.check(from, to);
          assertThat(JobTransitions.allowedFrom(to)).contains(from);
        } else {
          assertThatThrownBy(() -> JobTransitions.check(from, to))
              .isInstanceOf(IllegalJobTransitionException.class)
              .hasMessageContaining(from.name());
          assertThat(JobTransitions.allowedFrom(to)).doesNotContain(from);
        }
      }
      assertThat(JobTransitions.allowedTo(from)).isEqualTo(EXPECTED.get(from));
    }
  }

  @Test
  void terminal_statuses_lead_nowhere() {
    for (JobStatus status : JobStatus.values()) {
      assertThat(JobTransitions.allowedTo(status).isEmpty()).isEqualTo(status.isTerminal());
    }
  }
}
