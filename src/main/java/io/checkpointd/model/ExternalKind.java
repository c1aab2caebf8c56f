package io.checkpointd.model;

/**
 * A kind whose jobs external workers run, declared over the API by one tenant: its name is the
 * tenant's own (another tenant may declare the same name with other parameters).
 *
 * @param parametersJson the parameters as a JSON array of {@code ParamSpec}s
 * @param totalParam the parameter that says how many iterations a job takes, or null (workers then
 *     report a total with their progress)
 */
public record ExternalKind(
    String tenant, String name, String description, String parametersJson, int stateVersion, String totalParam) {}
