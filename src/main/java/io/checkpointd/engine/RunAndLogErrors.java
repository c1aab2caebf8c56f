package io.checkpointd.engine;

import org.jboss.logging.Logger;

/**
 * Wraps a background loop's body: an exception is logged and the loop goes on. An uncaught one
 * would silently cancel a scheduled task, and with it this instance's heartbeats or claims.
 */
final class RunAndLogErrors implements Runnable {

  private static final Logger LOG = Logger.getLogger(RunAndLogErrors.class);

  private final String name;
  private final Runnable body;

  RunAndLogErrors(String name, Runnable body) {
    this.name = name;
    this.body = body;
  }

  @Override
  public void run() {
    try {
      body.run();
    } catch (Throwable e) {
      LOG.warnf("%s failed, will try again: %s", name, e.getMessage());
    }
  }
}
