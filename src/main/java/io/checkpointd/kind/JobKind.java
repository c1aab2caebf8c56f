package io.checkpointd.kind;

import java.time.Duration;
import java.util.List;

/**
 * A kind of computation the service can run, checkpoint and resume.
 *
 * <p>The engine owns the loop; a kind only says how to start, how to take one step, and when it is
 * done. Steps must be deterministic functions of (params, state): that is what makes a job resumed
 * from a checkpoint end with exactly the result of an uninterrupted run. {@code P} and {@code S}
 * are records serialized as JSON with Jackson (never Java serialization).
 *
 * @param <P> the parameters, with defaults filled in
 * @param <S> the state saved in checkpoints
 */
public interface JobKind<P, S> {

  /** The name clients use in {@code POST /jobs}. */
  String name();

  /** One sentence for {@code GET /kinds}. */
  String description();

  /** The parameters a client may pass, with their defaults and limits; anything else is refused. */
  List<ParamSpec> parameters();

  Class<P> paramsType();

  Class<S> stateType();

  /**
   * The version of {@code S}'s JSON shape. Bump it when the shape changes incompatibly; a checkpoint
   * of another version is then refused instead of being misread.
   */
  default int stateVersion() {
    return 1;
  }

  /**
   * Steps that upgrade the JSON of older state versions, one version each, so that checkpoints
   * written by a previous release resume after a deploy. A checkpoint of version {@code v} is read
   * by applying the steps from {@code v}, {@code v + 1}, ... up to {@link #stateVersion()}; a
   * missing step makes it unreadable. None by default.
   */
  default List<StateUpgrade> upgrades() {
    return List.of();
  }

  S initialState(P params);

  /** Computes the next state. May throw; the state passed in is not to be modified. */
  S step(P params, S state);

  boolean isDone(P params, S state);

  /** The job's result once {@link #isDone} holds; serialized as JSON. */
  Object result(P params, S state);

  /** How many steps {@code state} has taken. */
  long iteration(S state);

  /** How many steps the whole job takes. */
  long total(P params);

  /**
   * Whether this service offers the kind; false keeps it out of the registry, so {@code GET /kinds}
   * does not list it and {@code POST /jobs} refuses it as unknown.
   */
  default boolean enabled() {
    return true;
  }

  /** Simulated work before each step; the engine waits without holding a thread. */
  default Duration pace(P params) {
    return Duration.ZERO;
  }
}
