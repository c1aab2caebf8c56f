package io.checkpointd.model;

/**
 * Who a request comes from, as far as the data is concerned: the tenant whose jobs it sees, or
 * every tenant (an admin), and how it is named in events (a key's prefix or a token's subject).
 */
public record Caller(String tenant, boolean allTenants, String name) {

  /** The tenant of jobs created without keys, and of the configured admin key. */
  public static final String DEFAULT_TENANT = "default";

  /** The engine and the open service (no keys): every tenant. */
  public static final Caller SYSTEM = new Caller(DEFAULT_TENANT, true, "system");

  /** The tenant to match in queries, or null for every tenant. */
  public String tenantFilter() {
    return allTenants ? null : tenant;
  }
}
