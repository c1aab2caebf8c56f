package io.checkpointd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.checkpointd.kind.KindDescription;
import io.checkpointd.kind.ParamSpec;
import java.util.List;

/**
 * A job kind as {@code GET /kinds} describes it; {@code runs} says where its jobs run
 * ({@code in-process} or {@code external}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KindView(
    String name, String description, List<ParamSpec> parameters, String runs, int stateVersion, String totalParam) {

  static KindView of(KindDescription k) {
    return new KindView(k.name(), k.description(), k.parameters(), k.runs(), k.stateVersion(), k.totalParam());
  }
}
