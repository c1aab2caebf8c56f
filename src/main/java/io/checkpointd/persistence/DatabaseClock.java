package io.checkpointd.persistence;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The time leases are measured by: the database's {@code now()}, never a pod's clock, so that
 * instances with skewed clocks agree on who holds a job. Tests substitute a subclass that moves
 * this time forward, to expire leases without sleeping.
 */
@ApplicationScoped
public class DatabaseClock {

  /** How far ahead of the database's clock lease time runs; zero outside tests. */
  protected long offsetMillis() {
    return 0;
  }

  /** A SQL expression for the current lease time. */
  String now() {
    long offset = offsetMillis();
    return offset == 0 ? "now()" : "(now() + interval '" + offset + " milliseconds')";
  }
}
