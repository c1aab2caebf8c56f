package io.checkpointd.kind.tally;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.checkpointd.kind.JobKind;
import io.checkpointd.kind.ParamSpec;
import io.checkpointd.kind.StateUpgrade;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Test-only kind at state version 2: sums 0 .. limit - 1. Version 1 (a "previous release") stored
 * {@code {"n": 5, "total": 10}}; version 2 stores {@code {"counter": 5, "sum": 10}}, and its
 * upgrade step renames the fields.
 */
@ApplicationScoped
public class TallyKind implements JobKind<TallyKind.Params, TallyKind.State> {

  public record Params(long limit, long stepMs) {}

  public record State(long counter, long sum) {}

  @Override
  public String name() {
    return "tally";
  }

  @Override
  public String description() {
    return "Test kind at state version 2, with an upgrade step from version 1.";
  }

  @Override
  public List<ParamSpec> parameters() {
    return List.of(
        ParamSpec.integer("limit", 20, 0, 100_000, "iterations"),
        ParamSpec.integer("stepMs", 0, 0, 60_000, "how long each step waits"));
  }

  @Override
  public Class<Params> paramsType() {
    return Params.class;
  }

  @Override
  public Class<State> stateType() {
    return State.class;
  }

  @Override
  public int stateVersion() {
    return 2;
  }

  @Override
  public List<StateUpgrade> upgrades() {
    return List.of(new StateUpgrade(1, TallyKind::fromVersion1));
  }

  private static JsonNode fromVersion1(JsonNode v1) {
    if (!v1.path("n").canConvertToLong() || !v1.path("total").canConvertToLong()) {
      throw new IllegalArgumentException("a version 1 state needs integers n and total");
    }
    ObjectNode v2 = JsonNodeFactory.instance.objectNode();
    v2.put("counter", v1.get("n").asLong());
    v2.put("sum", v1.get("total").asLong());
    return v2;
  }

  @Override
  public State initialState(Params params) {
    return new State(0, 0);
  }

  @Override
  public State step(Params params, State state) {
    return new State(state.counter() + 1, state.sum() + state.counter());
  }

  @Override
  public boolean isDone(Params params, State state) {
    return state.counter() >= params.limit();
  }

  @Override
  public Object result(Params params, State state) {
    return state.sum();
  }

  @Override
  public long iteration(State state) {
    return state.counter();
  }

  @Override
  public long total(Params params) {
    return params.limit();
  }

  @Override
  public java.time.Duration pace(Params params) {
    return java.time.Duration.ofMillis(params.stepMs());
  }
}
