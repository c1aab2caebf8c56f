package io.checkpointd.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.model.UnreadableStateException;
import java.io.IOException;
import java.time.Duration;
/**
 * A job kind bound to one job's parameters, with the JSON plumbing the engine needs. The engine
 * holds state as an opaque object and never looks inside it.
 */
public final class Computation<P, S> {

  private final JobKind<P, S> kind;
  private final P params;
  private final ObjectMapper mapper;

  private Computation(JobKind<P, S> kind, P params, ObjectMapper mapper) {
    this.kind = kind;
    this.params = params;
    this.mapper = mapper;
  }

  static <P, S> Computation<P, S> of(JobKind<P, S> kind, JsonNode params, ObjectMapper mapper) {
    try {
      return new Computation<>(kind, mapper.treeToValue(params, kind.paramsType()), mapper);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidParamsException("params", rootMessage(e));
    }
  }

  public JobKind<P, S> kind() {
    return kind;
  }

  public Object initialState() {
    return kind.initialState(params);
  }

  public Object step(Object state) {
    return kind.step(params, cast(state));
  }

  public boolean isDone(Object state) {
    return kind.isDone(params, cast(state));
  }

  public JsonNode result(Object state) {
    return mapper.valueToTree(kind.result(params, cast(state)));
  }

  public long iteration(Object state) {
    return kind.iteration(cast(state));
  }

  public long total() {
    return kind.total(params);
  }

  public Duration pace() {
    return kind.pace(params);
  }

  public int stateVersion() {
    return kind.stateVersion();
  }

  public byte[] serialize(Object state) {
    try {
      return mapper.writeValueAsBytes(state);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize the state of a " + kind.name() + " job", e);
    }
  }

  /** Reads a checkpoint back; throws {@link UnreadableStateException} if it does not fit. */
  public Object deserialize(byte[] json, int version) {
    if (version != kind.stateVersion()) {
      throw new UnreadableStateException(
          "checkpoint has state version " + version + ", this service reads version " + kind.stateVersion());
    }
    try {
      return mapper.readValue(json, kind.stateType());
    } catch (IOException e) {
      throw new UnreadableStateException("checkpoint state does not fit " + kind.name() + ": " + rootMessage(e));
    }
  }

  @SuppressWarnings("unchecked")
  private S cast(Object state) {
    return (S) state;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    if (m == null) {
      return "invalid";
    }
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
