package io.checkpointd.api;

import io.checkpointd.kind.ParamSpec;
import java.util.List;

/** A job kind as {@code GET /kinds} describes it. */
public record KindView(String name, String description, List<ParamSpec> parameters) {}
