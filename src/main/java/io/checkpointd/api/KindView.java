package io.checkpointd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.checkpointd.kind.KindDescription;
import io.checkpointd.kind.ParamSpec;
import java.util.List;

/**
 * A job kind as {@code GET /kinds} describes it; {@code runs} says where its jobs run
 * ({@code in-process} or {@code external}); an external kind names the tenant that declared it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KindView(
    String name, String description, List<ParamSpec> parameters, String runs, int stateVersion, String totalParam,
    String tenant) {

  static KindView of(KindDescription k) {
    return new KindView(k.name(), k.description(), k.parameters(), k.runs(), k.stateVersion(), k.totalParam(), k.tenant());
  }
}
