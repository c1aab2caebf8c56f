package io.checkpointd.model;

public class IllegalJobTransitionException extends RuntimeException {

  private final JobStatus from;
  private final JobStatus to;

  public IllegalJobTransitionException(JobStatus from, JobStatus to) {
    super("a " + from + " job cannot become " + to);
    this.from = from;
    this.to = to;
  }

  public JobStatus from() {
    return from;
  }

  public JobStatus to() {
    return to;
  }
}
