package io.checkpointd.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry of job kinds: every {@link JobKind} bean plugs itself in (built-in kinds, run in
 * this process), and external workers declare theirs over the API ({@link ExternalKinds}).
 */
@ApplicationScoped
public class JobKinds {

  private final Map<String, JobKind<?, ?>> byName = new TreeMap<>();
  private final ObjectMapper mapper;
  private final ExternalKinds external;

  JobKinds(Instance<JobKind<?, ?>> kinds, ObjectMapper mapper, ExternalKinds external) {
    this.mapper = mapper;
    this.external = external;
    for (JobKind<?, ?> kind : kinds) {
      if (!kind.enabled()) {
        continue;
      }
      if (byName.put(kind.name(), kind) != null) {
        throw new IllegalStateException("two job kinds are named " + kind.name());
      }
    }
  }

  public Collection<JobKind<?, ?>> all() {
    return byName.values();
  }

  public Optional<JobKind<?, ?>> find(String name) {
    return Optional.ofNullable(name).map(byName::get);
  }

  public JobKind<?, ?> get(String name) {
    return find(name).orElseThrow(() -> unknown(name));
  }

  /** Every kind, built-in first, as clients see it. */
  public List<KindDescription> describeAll() {
    List<KindDescription> all = new ArrayList<>(byName.values().stream().map(JobKinds::describe).toList());
    all.addAll(external.all());
    return all;
  }

  /** The kind named so, built-in or external. */
  public Optional<KindDescription> describe(String name) {
    if (name == null) {
      return Optional.empty();
    }
    JobKind<?, ?> builtIn = byName.get(name);
    return builtIn != null ? Optional.of(describe(builtIn)) : external.find(name);
  }

  /**
   * Declares an external kind, or confirms it; true when new or changed.
   *
   * @throws KindConflictException when the name is a built-in kind's, or the kind is in use
   */
  public boolean declare(String name, ExternalKinds.Declaration declaration) {
    if (byName.containsKey(name)) {
      throw new KindConflictException("'" + name + "' is a built-in kind; external kinds need names of their own");
    }
    return external.declare(name, declaration);
  }

  private static KindDescription describe(JobKind<?, ?> kind) {
    return new KindDescription(kind.name(), kind.description(), kind.parameters(), KindDescription.IN_PROCESS,
        kind.stateVersion(), null);
  }

  private UnknownKindException unknown(String name) {
    List<String> known = describeAll().stream().map(KindDescription::name).toList();
    return new UnknownKindException(name, known);
  }

  /** The kinds this service runs itself. */
  public java.util.Set<String> builtInNames() {
    return java.util.Collections.unmodifiableSet(byName.keySet());
  }

  /** A job's params with every default filled in, and how many iterations they make (0 if unknown yet). */
  public record ValidParams(ObjectNode params, long total) {}

  /**
   * Validates a client's params for {@code kind}: filled in with defaults, and for a built-in kind
   * bound to its record (which also refuses combinations the specs cannot express). The kind is
   * looked up once: an external kind's description is a database read.
   */
  public ValidParams validate(String kind, JsonNode params) {
    KindDescription description = describe(kind).orElseThrow(() -> unknown(kind));
    ObjectNode valid = ParamsValidator.validate(description.parameters(), params);
    long total = byName.containsKey(kind) ? computation(kind, valid).total() : ExternalKinds.total(description, valid);
    return new ValidParams(valid, total);
  }

  /** Binds a kind to a stored job's params, ready to run. */
  public Computation<?, ?> computation(String kind, JsonNode params) {
    return Computation.of(get(kind), params, mapper);
  }
}
