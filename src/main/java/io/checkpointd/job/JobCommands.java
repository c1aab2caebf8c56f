package io.checkpointd.job;

import io.checkpointd.model.JobEventType;
import io.checkpointd.model.JobStatus;
import io.checkpointd.model.RequestedStop;
import java.util.Arrays;
import java.util.List;
import static io.checkpointd.model.JobStatus.CANCELLED;
import static io.checkpointd.model.JobStatus.PAUSED;
import static io.checkpointd.model.JobStatus.QUEUED;
import static io.checkpointd.model.JobStatus.RUNNING;
/**
 * The one table of what pause, resume and cancel do in each state. A running job is never changed
 * directly: the command is stored as a request and its owner honours it at the next iteration
 * boundary, after writing a checkpoint there.
 */
public final class JobCommands {

  private JobCommands() {}

  public static CommandDecision decide(JobCommand command, JobStatus status, RequestedStop requested) {
    return switch (command) {
      case PAUSE -> pause(status, requested);
      case RESUME -> resume(status, requested);
      case CANCEL -> cancel(status, requested);
    };
  }

  /** The commands that would not be refused now. */
  public static List<JobCommand> allowed(JobStatus status, RequestedStop requested) {
    return Arrays.stream(JobCommand.values())
        .filter(c -> !(decide(c, status, requested) instanceof CommandDecision.Refuse))
        .toList();
  }

  private static CommandDecision pause(JobStatus status, RequestedStop requested) {
    return switch (status) {
      case QUEUED -> new CommandDecision.Move(PAUSED, null, JobEventType.PAUSED, false);
      case RUNNING -> {
        if (requested == RequestedStop.CANCEL) {
          yield new CommandDecision.Refuse("it is being cancelled");
        }
        yield requested == RequestedStop.PAUSE
            ? new CommandDecision.Already(true)
            : new CommandDecision.Move(RUNNING, RequestedStop.PAUSE, JobEventType.PAUSE_REQUESTED, true);
      }
      case PAUSED -> new CommandDecision.Already(false);
      case SUCCEEDED, FAILED, CANCELLED -> new CommandDecision.Refuse("it has finished");
    };
  }

  private static CommandDecision resume(JobStatus status, RequestedStop requested) {
    return switch (status) {
      case PAUSED, FAILED -> new CommandDecision.Move(QUEUED, null, JobEventType.RESUMED, true);
      case QUEUED -> new CommandDecision.Already(false);
      case RUNNING -> {
        if (requested == RequestedStop.CANCEL) {
          yield new CommandDecision.Refuse("it is being cancelled");
        }
        // resuming a job that is still pausing withdraws the pause its owner has not reached yet
        yield requested == RequestedStop.PAUSE
            ? new CommandDecision.Move(RUNNING, null, JobEventType.RESUMED, false)
            : new CommandDecision.Already(false);
      }
      case SUCCEEDED, CANCELLED -> new CommandDecision.Refuse("it has finished");
    };
  }

  private static CommandDecision cancel(JobStatus status, RequestedStop requested) {
    return switch (status) {
      case QUEUED, PAUSED, FAILED -> new CommandDecision.Move(CANCELLED, null, JobEventType.CANCELLED, false);
      case RUNNING -> requested == RequestedStop.CANCEL
          ? new CommandDecision.Already(true)
          : new CommandDecision.Move(RUNNING, RequestedStop.CANCEL, JobEventType.CANCEL_REQUESTED, true);
      case CANCELLED -> new CommandDecision.Already(false);
      case SUCCEEDED -> new CommandDecision.Refuse("it has finished");
    };
  }
}
