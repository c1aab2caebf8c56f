package io.checkpointd.kind;

import java.util.List;

/**
 * A kind as clients see it.
 *
 * @param runs {@code in-process} for the kinds built into the service, {@code external} for kinds
 *     that workers declared and run over HTTP
 * @param totalParam for an external kind, the parameter that gives a job's iterations (or null)
 * @param tenant for an external kind, the tenant that declared it; null for a built-in kind, which
 *     every tenant shares
 */
public record KindDescription(
    String name, String description, List<ParamSpec> parameters, String runs, int stateVersion, String totalParam,
    String tenant) {

  public static final String IN_PROCESS = "in-process";
  public static final String EXTERNAL = "external";
}
