package io.checkpointd.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The registry of job kinds: every {@link JobKind} bean plugs itself in. */
@ApplicationScoped
public class JobKinds {

  private final Map<String, JobKind<?, ?>> byName = new TreeMap<>();
  private final ObjectMapper mapper;

  JobKinds(Instance<JobKind<?, ?>> kinds, ObjectMapper mapper) {
    this.mapper = mapper;
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
    return find(name).orElseThrow(() -> new UnknownKindException(name, byName.keySet()));
  }

  /** Validates a client's params for {@code kind}, returning them with every default filled in. */
  public ObjectNode validateParams(String kind, JsonNode params) {
    return ParamsValidator.validate(get(kind).parameters(), params);
  }

  /** Binds a kind to a stored job's params, ready to run. */
  public Computation<?, ?> computation(String kind, JsonNode params) {
    return Computation.of(get(kind), params, mapper);
  }
}
