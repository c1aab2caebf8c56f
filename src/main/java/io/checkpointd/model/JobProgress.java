package io.checkpointd.model;

/**
 * Where a job is, computed once for every reader (API, stream, metrics).
 *
 * @param iteration the furthest of the last heartbeat and the newest checkpoint
 * @param ratePerSecond iterations per second of a running job, or null
 * @param etaSeconds estimated seconds to completion of a running job, or null
 * @param iterationsAtRisk iterations a crash now would lose: done since the newest checkpoint
 */
public record JobProgress(
    long iteration, long total, double percent, Double ratePerSecond, Double etaSeconds, long iterationsAtRisk) {

  static JobProgress of(JobSnapshot job) {
    // The row has the iteration of the last heartbeat; a checkpoint written since is further on.
    JobSnapshot.LastCheckpoint last = job.lastCheckpoint();
    long iteration = last == null ? job.iteration() : Math.max(job.iteration(), last.iteration());
    double percent = job.total() == 0 ? 100.0 : Math.round(iteration * 1000.0 / job.total()) / 10.0;
    boolean running = job.status() == JobStatus.RUNNING;
    Double rate = running && job.rate() != null ? Math.round(job.rate() * 100.0) / 100.0 : null;
    Double eta = rate == null || rate <= 0 ? null : Math.round((job.total() - iteration) / rate * 10.0) / 10.0;
    long atRisk = running ? iteration - (last == null ? 0 : last.iteration()) : 0;
    return new JobProgress(iteration, job.total(), percent, rate, eta, atRisk);
  }
}
