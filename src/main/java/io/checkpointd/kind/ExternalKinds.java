package io.checkpointd.kind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.model.ExternalKind;
import io.checkpointd.persistence.KindStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Kinds that external workers declare over the API and run over HTTP. */
@ApplicationScoped
public class ExternalKinds {

  static final int MAX_PARAMETERS = 32;
  static final int MAX_DESCRIPTION = 500;
  static final int MAX_STATE_VERSION = 1_000_000;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private final KindStore store;
  private final ObjectMapper mapper;

  ExternalKinds(KindStore store, ObjectMapper mapper) {
    this.store = store;
    this.mapper = mapper;
  }

  /** A declaration as a worker sends it. */
  public record Declaration(
      String description, List<ParamSpec> parameters, Integer stateVersion, String totalParam) {}

  /**
   * Declares (or confirms) an external kind of {@code tenant}'s.
   *
   * @return true when it is new, false when it was there (the same, or changed while none of the
   *     tenant's jobs of it were unfinished)
   */
  boolean declare(String tenant, String name, Declaration declaration) {
    ExternalKind kind = validate(tenant, name, declaration);
    return switch (store.declare(kind)) {
      case CREATED -> true;
      case CHANGED, UNCHANGED -> false;
      case REFUSED_IN_USE -> throw new KindConflictException(
          "kind '" + name + "' has unfinished jobs, which were validated against its current definition;"
              + " declare the new one under another name, or finish or cancel them first");
    };
  }

  Optional<KindDescription> find(String tenant, String name) {
    return store.find(tenant, name).map(this::describe);
  }

  /** Whether {@code tenant}, or any tenant when it is null, declared a kind named so. */
  boolean declared(String tenant, String name) {
    return tenant == null ? store.declaredAnywhere(name) : store.find(tenant, name).isPresent();
  }

  /** The kinds {@code tenant} declared, or every tenant's when it is null. */
  List<KindDescription> all(String tenant) {
    return store.all(tenant).stream().map(this::describe).toList();
  }

  List<ParamSpec> parameters(ExternalKind kind) {
    try {
      return List.of(mapper.readValue(kind.parametersJson(), ParamSpec[].class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored parameters of kind " + kind.name() + " do not parse", e);
    }
  }

  /** How many iterations a job takes, from the kind's total parameter; 0 when the worker will say. */
  static long total(KindDescription kind, JsonNode params) {
    return kind.totalParam() == null || !params.hasNonNull(kind.totalParam()) ? 0 : params.get(kind.totalParam()).asLong();
  }

  private KindDescription describe(ExternalKind kind) {
    return new KindDescription(kind.name(), kind.description(), parameters(kind), KindDescription.EXTERNAL,
        kind.stateVersion(), kind.totalParam(), kind.tenant());
  }

  private ExternalKind validate(String tenant, String name, Declaration d) {
    List<InvalidParamsException.Violation> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(new InvalidParamsException.Violation("name",
          "must be 1 to 63 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"));
    }
    if (d.description() == null || d.description().isBlank() || d.description().length() > MAX_DESCRIPTION) {
      errors.add(new InvalidParamsException.Violation("description", "is required, at most " + MAX_DESCRIPTION + " characters"));
    }
    List<ParamSpec> params = d.parameters() == null ? List.of() : d.parameters();
    if (params.size() > MAX_PARAMETERS) {
      errors.add(new InvalidParamsException.Violation("parameters", "at most " + MAX_PARAMETERS + " parameters"));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < params.size(); i++) {
      ParamSpec p = params.get(i);
      String field = "parameters[" + i + "]";
      if (p == null || p.name() == null || !NAME.matcher(p.name().toLowerCase()).matches()) {
        errors.add(new InvalidParamsException.Violation(field + ".name", "is required: letters, digits, '.', '_' or '-', at most 63"));
        continue;
      }
      if (!names.add(p.name())) {
        errors.add(new InvalidParamsException.Violation(field + ".name", "'" + p.name() + "' is declared twice"));
      }
      if (!"integer".equals(p.type()) && !"number".equals(p.type())) {
        errors.add(new InvalidParamsException.Violation(field + ".type", "must be integer or number"));
        continue;
      }
      if (p.defaultValue() == null || p.minimum() == null || p.maximum() == null) {
        errors.add(new InvalidParamsException.Violation(field, "defaultValue, minimum and maximum are required"));
        continue;
      }
      double min = p.minimum().doubleValue();
      double max = p.maximum().doubleValue();
      double def = p.defaultValue().doubleValue();
      if (!(min <= def && def <= max) || !Double.isFinite(min) || !Double.isFinite(max)) {
        errors.add(new InvalidParamsException.Violation(field, "needs minimum <= defaultValue <= maximum, all finite"));
      }
      if (p.description() != null && p.description().length() > MAX_DESCRIPTION) {
        errors.add(new InvalidParamsException.Violation(field + ".description", "at most " + MAX_DESCRIPTION + " characters"));
      }
    }
    int version = d.stateVersion() == null ? 1 : d.stateVersion();
    if (version < 1 || version > MAX_STATE_VERSION) {
      errors.add(new InvalidParamsException.Violation("stateVersion", "must be between 1 and " + MAX_STATE_VERSION));
    }
    if (d.totalParam() != null && params.stream().noneMatch(p -> p != null && d.totalParam().equals(p.name()) && "integer".equals(p.type()))) {
      errors.add(new InvalidParamsException.Violation("totalParam", "must name one of the integer parameters"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidParamsException(errors);
    }
    List<ParamSpec> normalised = params.stream()
        .map(p -> "integer".equals(p.type())
            ? ParamSpec.integer(p.name(), p.defaultValue().longValue(), p.minimum().longValue(), p.maximum().longValue(), p.description())
            : ParamSpec.number(p.name(), p.defaultValue().doubleValue(), p.minimum().doubleValue(), p.maximum().doubleValue(), p.description()))
        .toList();
    try {
      return new ExternalKind(tenant, name, d.description(), mapper.writeValueAsString(normalised), version, d.totalParam());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
