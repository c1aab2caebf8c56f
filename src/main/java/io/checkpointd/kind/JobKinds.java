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

  /** A built-in kind. */
  public JobKind<?, ?> get(String name) {
    return find(name).orElseThrow(() -> new UnknownKindException(name, byName.keySet()));
  }

  /**
   * Every kind {@code tenant} may use, built-in first (every tenant shares them), then the external
   * kinds it declared; with a null tenant, every tenant's.
   */
  public List<KindDescription> describeAll(String tenant) {
    List<KindDescription> all = new ArrayList<>(byName.values().stream().map(JobKinds::describe).toList());
    all.addAll(external.all(tenant));
    return all;
  }

  /** The kind named so that {@code tenant} may use: built-in, or one it declared. */
  public Optional<KindDescription> describe(String tenant, String name) {
    if (name == null) {
      return Optional.empty();
    }
    JobKind<?, ?> builtIn = byName.get(name);
    return builtIn != null ? Optional.of(describe(builtIn)) : external.find(tenant, name);
  }

  /** Whether {@code tenant}, or any tenant when it is null, declared an external kind named so. */
  public boolean declaredExternal(String tenant, String name) {
    return name != null && !byName.containsKey(name) && external.declared(tenant, name);
  }

  /**
   * Declares an external kind of {@code tenant}'s, or confirms it; true when it is new.
   *
   * @throws KindConflictException when the name is a built-in kind's, or the tenant's jobs of the
   *     kind are unfinished
   */
  public boolean declare(String tenant, String name, ExternalKinds.Declaration declaration) {
    if (byName.containsKey(name)) {
      throw new KindConflictException("'" + name + "' is a built-in kind; external kinds need names of their own");
    }
    return external.declare(tenant, name, declaration);
  }

  private static KindDescription describe(JobKind<?, ?> kind) {
    return new KindDescription(kind.name(), kind.description(), kind.parameters(), KindDescription.IN_PROCESS,
        kind.stateVersion(), null, null);
  }

  private UnknownKindException unknown(String tenant, String name) {
    List<String> known = describeAll(tenant).stream().map(KindDescription::name).toList();
    return new UnknownKindException(name, known);
  }

  /** The kinds this service runs itself. */
  public java.util.Set<String> builtInNames() {
    return java.util.Collections.unmodifiableSet(byName.keySet());
  }

  /** A job's params with every default filled in, and how many iterations they make (0 if unknown yet). */
  public record ValidParams(ObjectNode params, long total) {}

  /**
   * Validates a client's params for {@code kind} as {@code tenant} sees it: filled in with defaults,
   * and for a built-in kind bound to its record (which also refuses combinations the specs cannot
   * express); an external kind is the tenant's own declaration. The kind is looked up once: an
   * external kind's description is a database read.
   */
  public ValidParams validate(String tenant, String kind, JsonNode params) {
    KindDescription description = describe(tenant, kind).orElseThrow(() -> unknown(tenant, kind));
    ObjectNode valid = ParamsValidator.validate(description.parameters(), params);
    long total = byName.containsKey(kind) ? computation(kind, valid).total() : ExternalKinds.total(description, valid);
    return new ValidParams(valid, total);
  }

  /** Binds a kind to a stored job's params, ready to run. */
  public Computation<?, ?> computation(String kind, JsonNode params) {
    return Computation.of(get(kind), params, mapper);
  }
}
