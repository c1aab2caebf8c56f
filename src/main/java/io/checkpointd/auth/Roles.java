package io.checkpointd.auth;

import java.util.List;

/** What a key may do; a key has one or more. */
public final class Roles {

  /** Keys, tenants and every tenant's jobs. */
  public static final String ADMIN = "admin";
  /** Create and control its tenant's jobs. */
  public static final String OPERATOR = "operator";
  /** Read its tenant's jobs. */
  public static final String VIEWER = "viewer";
  /** The external-worker protocol for its tenant's kinds. */
  public static final String WORKER = "worker";

  public static final List<String> ALL = List.of(ADMIN, OPERATOR, VIEWER, WORKER);

  private Roles() {}
}
