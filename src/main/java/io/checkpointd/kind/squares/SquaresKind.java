package io.checkpointd.kind.squares;

import io.checkpointd.kind.JobKind;
import io.checkpointd.kind.ParamSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The original sketch: count from 0 to {@code limit}, appending the square of the counter to a
 * list, with a pause per iteration to simulate work.
 */
@ApplicationScoped
public class SquaresKind implements JobKind<SquaresParams, SquaresState> {

  // Why 10,000: the state holds the whole list and each step copies it (states are immutable), so
  // a larger limit makes checkpoints and steps grow without teaching anything new.
  static final long MAX_LIMIT = 10_000;
  static final long MAX_DELAY_MS = 60_000;

  @Override
  public String name() {
    return "squares";
  }

  @Override
  public String description() {
    return "Counts from 0 to limit - 1, appending the square of the counter to a list.";
  }

  @Override
  public List<ParamSpec> parameters() {
    return List.of(
        ParamSpec.integer("limit", 100, 0, MAX_LIMIT, "How many squares to compute."),
        ParamSpec.integer("delayMs", 500, 0, MAX_DELAY_MS, "Simulated work before each iteration, in milliseconds."));
  }

  @Override
  public Class<SquaresParams> paramsType() {
    return SquaresParams.class;
  }

  @Override
  public Class<SquaresState> stateType() {
    return SquaresState.class;
  }

  @Override
  public SquaresState initialState(SquaresParams params) {
    return new SquaresState(0, List.of());
  }

  @Override
  public SquaresState step(SquaresParams params, SquaresState state) {
    long counter = state.counter();
    List<Long> data = new ArrayList<>(state.data().size() + 1);
    data.addAll(state.data());
    data.add(counter * counter);
    return new SquaresState(counter + 1, data);
  }

  @Override
  public boolean isDone(SquaresParams params, SquaresState state) {
    return state.counter() >= params.limit();
  }

  @Override
  public SquaresResult result(SquaresParams params, SquaresState state) {
    return new SquaresResult(state.data());
  }

  @Override
  public long iteration(SquaresState state) {
    return state.counter();
  }

  @Override
  public long total(SquaresParams params) {
    return params.limit();
  }

  @Override
  public Duration pace(SquaresParams params) {
    return Duration.ofMillis(params.delayMs());
  }
}
