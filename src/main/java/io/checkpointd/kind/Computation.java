package io.checkpointd.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.model.UnreadableStateException;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;

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

  /** Reads a checkpoint back, upgrading older versions; throws {@link UnreadableStateException} if it does not fit. */
  public Object deserialize(byte[] json, int version) {
    try {
      if (upgradesNeeded(version) == 0) {
        // the common case reads the bytes straight into the record, without a tree in between
        return mapper.readValue(json, kind.stateType());
      }
      return mapper.treeToValue(upgrade(mapper.readTree(json), version), kind.stateType());
    } catch (IOException | IllegalArgumentException e) {
      throw new UnreadableStateException("checkpoint state does not fit " + kind.name() + ": " + stateMessage(e));
    }
  }

  /** How many upgrade steps a checkpoint of {@code version} needs (0: loads as is); refuses what none can read. */
  public int upgradesNeeded(int version) {
    if (version > kind.stateVersion()) {
      throw new UnreadableStateException("checkpoint has state version " + version + ", newer than the version "
          + kind.stateVersion() + " this service reads (written by a newer release?)");
    }
    for (int v = version; v < kind.stateVersion(); v++) {
      step(v);
    }
    return kind.stateVersion() - version;
  }

  /** The state's JSON brought from {@code version} up to the kind's current one, step by step. */
  JsonNode upgrade(JsonNode state, int version) {
    upgradesNeeded(version);
    JsonNode current = state;
    for (int v = version; v < kind.stateVersion(); v++) {
      try {
        current = step(v).step().apply(current.deepCopy());
      } catch (RuntimeException e) {
        throw new UnreadableStateException(
            "the upgrade step of " + kind.name() + " from state version " + v + " failed: " + rootMessage(e));
      }
    }
    return current;
  }

  private StateUpgrade step(int from) {
    return kind.upgrades().stream().filter(u -> u.fromVersion() == from).findFirst()
        .orElseThrow(() -> new UnreadableStateException("checkpoint has state version " + from + ", and " + kind.name()
            + " (state version " + kind.stateVersion() + ") has no upgrade step from it"));
  }

  @SuppressWarnings("unchecked")
  private S cast(Object state) {
    return (S) state;
  }

  /** Why a state does not load, in words a person can act on. */
  private String stateMessage(Throwable e) {
    if (root(e) instanceof NullPointerException && kind.stateType().isRecord()) {
      // the state record's constructor met a missing field: the JVM's message names its internals
      // ("Cannot invoke \"java.util.Collection.toArray()\" because \"coll\" is null"), not the field
      return "a field is missing or null; a " + kind.name() + " state has " + Arrays.stream(
          kind.stateType().getRecordComponents()).map(RecordComponent::getName).toList();
    }
    return rootMessage(e);
  }

  private static String rootMessage(Throwable e) {
    String m = root(e).getMessage();
    if (m == null) {
      return "invalid";
    }
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }

  private static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
