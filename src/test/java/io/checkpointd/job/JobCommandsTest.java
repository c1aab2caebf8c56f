package io.checkpointd.job;

import static io.checkpointd.job.JobCommand.CANCEL;
import static io.checkpointd.job.JobCommand.PAUSE;
import static io.checkpointd.job.JobCommand.RESUME;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.model.JobEventType;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.JobTransitions;
import io.checkpointd.model.RequestedStop;
import org.junit.jupiter.api.Test;

/** Walks every command in every state a job can be in. */
class JobCommandsTest {

  @Test
  void every_move_a_command_makes_is_allowed_by_the_transition_table() {
    for (JobCommand command : JobCommand.values()) {
      for (JobStatus status : JobStatus.values()) {
        for (RequestedStop requested : new RequestedStop[] {null, RequestedStop.PAUSE, RequestedStop.CANCEL}) {
          CommandDecision decision = JobCommands.decide(command, status, requested);
          assertThat(decision).as(command + " on " + status + "/" + requested).isNotNull();
          if (decision instanceof CommandDecision.Move move && move.to() != status) {
            assertThat(JobTransitions.isAllowed(status, move.to())).as(command + " on " + status).isTrue();
          }
          if (decision instanceof CommandDecision.Move move && move.requested() != null) {
            assertThat(status).as("only a running job gets a request").isEqualTo(JobStatus.RUNNING);
          }
        }
      }
    }
  }

  @Test
  void a_running_job_is_asked_to_stop_and_answers_later() {
    assertThat(JobCommands.decide(PAUSE, JobStatus.RUNNING, null))
        .isEqualTo(new CommandDecision.Move(JobStatus.RUNNING, RequestedStop.PAUSE, JobEventType.PAUSE_REQUESTED, true));
    assertThat(JobCommands.decide(CANCEL, JobStatus.RUNNING, RequestedStop.PAUSE))
        .isEqualTo(new CommandDecision.Move(JobStatus.RUNNING, RequestedStop.CANCEL, JobEventType.CANCEL_REQUESTED, true));
  }

  @Test
  void asking_for_the_state_a_job_is_in_or_going_to_is_a_harmless_repeat() {
    assertThat(JobCommands.decide(PAUSE, JobStatus.PAUSED, null)).isEqualTo(new CommandDecision.Already(false));
    assertThat(JobCommands.decide(PAUSE, JobStatus.RUNNING, RequestedStop.PAUSE)).isEqualTo(new CommandDecision.Already(true));
    assertThat(JobCommands.decide(CANCEL, JobStatus.CANCELLED, null)).isEqualTo(new CommandDecision.Already(false));
    assertThat(JobCommands.decide(CANCEL, JobStatus.RUNNING, RequestedStop.CANCEL)).isEqualTo(new CommandDecision.Already(true));
    assertThat(JobCommands.decide(RESUME, JobStatus.QUEUED, null)).isEqualTo(new CommandDecision.Already(false));
  }

  @Test
  void finished_jobs_refuse_everything_but_what_the_table_allows() {
    assertThat(JobCommands.allowed(JobStatus.SUCCEEDED, null)).isEmpty();
    assertThat(JobCommands.allowed(JobStatus.CANCELLED, null)).containsExactly(CANCEL);
    assertThat(JobCommands.allowed(JobStatus.FAILED, null)).containsExactly(RESUME, CANCEL);
    assertThat(JobCommands.allowed(JobStatus.RUNNING, RequestedStop.CANCEL)).containsExactly(CANCEL);
    assertThat(JobCommands.decide(RESUME, JobStatus.RUNNING, RequestedStop.PAUSE))
        .isEqualTo(new CommandDecision.Move(JobStatus.RUNNING, null, JobEventType.RESUMED, false));
  }
}
