package io.checkpointd.engine;

import io.checkpointd.model.Lease;
import org.jboss.logging.MDC;

/**
 * Puts the job a thread works for into the log context (MDC), so that every engine log line names
 * the job, its kind, the lease epoch and the instance: {@code grep <job id>} then tells one job's
 * story across instances and takeovers. Engine threads are pooled, so whoever enters also leaves.
 */
final class JobLogContext {

  static final String JOB = "jobId";
  static final String KIND = "kind";
  static final String EPOCH = "epoch";
  static final String INSTANCE = "instance";
  /** All four in one, for the plain-text format ({@code %X{job}}); JSON logs carry them one by one. */
  static final String LINE = "job";

  private JobLogContext() {}

  static void enter(Lease lease, String kind) {
    MDC.put(JOB, lease.jobId().toString());
    MDC.put(KIND, kind);
    MDC.put(EPOCH, Long.toString(lease.epoch()));
    MDC.put(INSTANCE, lease.owner());
    MDC.put(LINE, "job=" + lease.jobId() + " kind=" + kind + " epoch=" + lease.epoch() + " instance=" + lease.owner() + " ");
  }

  static void leave() {
    MDC.remove(JOB);
    MDC.remove(KIND);
    MDC.remove(EPOCH);
    MDC.remove(INSTANCE);
    MDC.remove(LINE);
  }
}
