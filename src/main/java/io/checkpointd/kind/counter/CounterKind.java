package io.checkpointd.kind.counter;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.kind.JobKind;
import io.checkpointd.kind.ParamSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Counts to {@code iterations} carrying {@code stateBytes} of payload in its state: almost no work
 * per step, so what it measures is the cost of running and checkpointing a job (the benchmarks use
 * it), and {@code stateBytes} tries large states.
 */
@ApplicationScoped
public class CounterKind implements JobKind<CounterParams, CounterState> {

  private final boolean enabled;

  CounterKind(CheckpointdConfig config) {
    this.enabled = config.kinds().counterEnabled();
  }

  /** Only where {@code checkpointd.kinds.counter-enabled} is on: a client could ask it for 64 MiB states. */
  @Override
  public boolean enabled() {
    return enabled;
  }

  @Override
  public String name() {
    return "counter";
  }

  @Override
  public String description() {
    return "Counts to a number carrying a payload of a chosen size: measures the engine, not the work.";
  }

  @Override
  public List<ParamSpec> parameters() {
    return List.of(
        ParamSpec.integer("iterations", 1000, 0, 1_000_000_000, "How far to count."),
        ParamSpec.integer("stateBytes", 200, 0, 64 * 1024 * 1024, "Size of the payload carried in the state."),
        ParamSpec.integer("delayMs", 0, 0, 60_000, "Simulated work before each iteration, in milliseconds."));
  }

  @Override
  public Class<CounterParams> paramsType() {
    return CounterParams.class;
  }

  @Override
  public Class<CounterState> stateType() {
    return CounterState.class;
  }

  @Override
  public CounterState initialState(CounterParams params) {
    return new CounterState(0, "x".repeat((int) params.stateBytes()));
  }

  @Override
  public CounterState step(CounterParams params, CounterState state) {
    return new CounterState(state.count() + 1, state.payload());
  }

  @Override
  public boolean isDone(CounterParams params, CounterState state) {
    return state.count() >= params.iterations();
  }

  @Override
  public Object result(CounterParams params, CounterState state) {
    return new CounterResult(state.count());
  }

  @Override
  public long iteration(CounterState state) {
    return state.count();
  }

  @Override
  public long total(CounterParams params) {
    return params.iterations();
  }

  @Override
  public Duration pace(CounterParams params) {
    return Duration.ofMillis(params.delayMs());
  }

  public record CounterResult(long count) {}
}
