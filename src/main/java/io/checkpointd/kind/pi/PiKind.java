package io.checkpointd.kind.pi;

import io.checkpointd.kind.JobKind;
import io.checkpointd.kind.ParamSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Monte Carlo estimate of pi: draw points in the unit square, count those inside the quarter
 * circle. The generator's state is part of the checkpoint, so a run resumed after any number of
 * crashes draws exactly the points an uninterrupted run draws, and gives the same estimate.
 */
@ApplicationScoped
public class PiKind implements JobKind<PiParams, PiState> {

  @Override
  public String name() {
    return "pi";
  }

  @Override
  public String description() {
    return "Estimates pi by Monte Carlo sampling with a seeded generator; the same seed gives the same estimate.";
  }

  @Override
  public List<ParamSpec> parameters() {
    return List.of(
        ParamSpec.integer("samples", 10_000_000, 1, 100_000_000_000L, "How many random points to draw."),
        ParamSpec.integer("samplesPerStep", 100_000, 1_000, 10_000_000, "Points drawn per iteration."),
        ParamSpec.integer("seed", 42, 0, 9_007_199_254_740_991L, "Seed of the random generator."),
        ParamSpec.integer("delayMs", 0, 0, 60_000, "Simulated extra work before each iteration, in milliseconds."));
  }

  @Override
  public Class<PiParams> paramsType() {
    return PiParams.class;
  }

  @Override
  public Class<PiState> stateType() {
    return PiState.class;
  }

  @Override
  public PiState initialState(PiParams params) {
    return new PiState(0, 0, 0, params.seed());
  }

  @Override
  public PiState step(PiParams params, PiState state) {
    long n = Math.min(params.samplesPerStep(), params.samples() - state.drawn());
    SplitMix64 random = new SplitMix64(state.generator());
    long inside = state.inside();
    for (long i = 0; i < n; i++) {
      double x = random.nextDouble();
      double y = random.nextDouble();
      if (x * x + y * y <= 1.0) {
        inside++;
      }
    }
    return new PiState(state.step() + 1, state.drawn() + n, inside, random.state());
  }

  @Override
  public boolean isDone(PiParams params, PiState state) {
    return state.drawn() >= params.samples();
  }

  @Override
  public PiResult result(PiParams params, PiState state) {
    return new PiResult(4.0 * state.inside() / state.drawn(), state.inside(), state.drawn());
  }

  @Override
  public long iteration(PiState state) {
    return state.step();
  }

  @Override
  public long total(PiParams params) {
    return (params.samples() + params.samplesPerStep() - 1) / params.samplesPerStep();
  }

  @Override
  public Duration pace(PiParams params) {
    return Duration.ofMillis(params.delayMs());
  }
}
