package io.checkpointd.kind.flaky;

import io.checkpointd.kind.JobKind;
import io.checkpointd.kind.ParamSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only kind: counts to {@code limit} (summing the counters) and throws at iteration {@code
 * failAt}, {@code failures} times in all per {@code token}; a test picks a fresh token. What it
 * throws: {@code throwing} 0 an IllegalStateException, 1 a StackOverflowError, 2 an
 * OutOfMemoryError (thrown, not provoked).
 */
@ApplicationScoped
public class FlakyKind implements JobKind<FlakyKind.Params, FlakyKind.State> {

  public record Params(long limit, long failAt, long failures, long token, long stepMs, long throwing) {}

  public record State(long counter, long sum) {}

  private static final Map<Long, AtomicInteger> FAILED = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "flaky";
  }

  @Override
  public String description() {
    return "Test kind that fails on a chosen iteration.";
  }

  @Override
  public List<ParamSpec> parameters() {
    return List.of(
        ParamSpec.integer("limit", 20, 0, 1000, "iterations"),
        ParamSpec.integer("failAt", 7, 0, 1000, "iteration that throws"),
        ParamSpec.integer("failures", 1, 0, 1000, "how many times it throws"),
        ParamSpec.integer("token", 0, 0, Long.MAX_VALUE, "separates the failure counts of tests"),
        ParamSpec.integer("stepMs", 0, 0, 60_000, "how long each step works (holding its thread)"),
        ParamSpec.integer("throwing", 0, 0, 2, "0: an exception, 1: StackOverflowError, 2: OutOfMemoryError"));
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
  public State initialState(Params params) {
    return new State(0, 0);
  }

  @Override
  public State step(Params params, State state) {
    if (params.stepMs() > 0) {
      try {
        Thread.sleep(params.stepMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (state.counter() == params.failAt()
        && FAILED.computeIfAbsent(params.token(), t -> new AtomicInteger()).incrementAndGet() <= params.failures()) {
      String message = "disk on fire at iteration " + state.counter();
      if (params.throwing() == 1) {
        throw new StackOverflowError(message);
      }
      if (params.throwing() == 2) {
        throw new OutOfMemoryError(message);
      }
      throw new IllegalStateException(message);
    }
    return new State(state.counter() + 1, state.sum() + state.counter());
  }

  @Override
  public boolean isDone(Params params, State state) {
    return state.counter() >= params.limit();
  }

  @Override
  public Object result(Params params, State state) {
    return Map.of("sum", state.sum());
  }

  @Override
  public long iteration(State state) {
    return state.counter();
  }

  @Override
  public long total(Params params) {
    return params.limit();
  }
}
