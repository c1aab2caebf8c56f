package io.checkpointd.persistence;

import io.checkpointd.model.ExternalKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Kinds declared by external workers, each in its tenant. */
@ApplicationScoped
public class KindStore {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final Sql sql;

  KindStore(Sql sql) {
    this.sql = sql;
  }

  /** What {@link #declare} did. */
  public enum Declared { CREATED, UNCHANGED, CHANGED, REFUSED_IN_USE }

  /** The kind {@code tenant} declared under {@code name}. */
  @Transactional
  public Optional<ExternalKind> find(String tenant, String name) {
    return Optional.ofNullable(KindRow.<KindRow>findById(new KindRow.Key(tenant, name))).map(KindStore::kind);
  }

  /** Whether any tenant declared a kind named so (for workers and reports that serve every tenant). */
  @Transactional
  public boolean declaredAnywhere(String name) {
    return KindRow.count("name", name) > 0;
  }

  /** The kinds {@code tenant} declared, or every tenant's when it is null, by name then tenant. */
  @Transactional
  public List<ExternalKind> all(String tenant) {
    io.quarkus.panache.common.Sort order = io.quarkus.panache.common.Sort.by("name").and("tenant");
    List<KindRow> rows = tenant == null ? KindRow.listAll(order) : KindRow.list("tenant", order, tenant);
    return rows.stream().map(KindStore::kind).toList();
  }

  /**
   * Stores a declaration. The same one again changes nothing; a different one is refused while
   * the tenant's jobs of the kind are unfinished, since their params were validated against the
   * old one. Other tenants' jobs of a kind of the same name are theirs, validated against theirs.
   */
  @Transactional
  public Declared declare(ExternalKind kind) {
    // the row lock serialises two workers declaring one kind at once
    KindRow row = KindRow.findById(new KindRow.Key(kind.tenant(), kind.name()), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    if (row == null) {
      row = new KindRow();
      row.tenant = kind.tenant();
      row.name = kind.name();
      copy(kind, row);
      row.persist();
      return Declared.CREATED;
    }
    if (sameDefinition(kind(row), kind)) {
      return Declared.UNCHANGED;
    }
    boolean inUse = !sql.query(
            "select 1 from job where kind = ? and tenant = ? and status not in ('SUCCEEDED', 'CANCELLED') limit 1",
            ps -> {
              ps.setString(1, kind.name());
              ps.setString(2, kind.tenant());
            },
            rs -> 1)
        .isEmpty();
    if (inUse) {
      return Declared.REFUSED_IN_USE;
    }
    copy(kind, row);
    return Declared.CHANGED;
  }

  private static boolean sameDefinition(ExternalKind a, ExternalKind b) {
    try {
      // compared as JSON: the database normalises the stored text
      return a.description().equals(b.description()) && a.stateVersion() == b.stateVersion()
          && java.util.Objects.equals(a.totalParam(), b.totalParam())
          && JSON.readTree(a.parametersJson()).equals(JSON.readTree(b.parametersJson()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }

  private static void copy(ExternalKind kind, KindRow row) {
    row.description = kind.description();
    row.parameters = kind.parametersJson();
    row.stateVersion = kind.stateVersion();
    row.totalParam = kind.totalParam();
    row.updatedAt = OffsetDateTime.now();
  }

  private static ExternalKind kind(KindRow row) {
    return new ExternalKind(row.tenant, row.name, row.description, row.parameters, row.stateVersion, row.totalParam);
  }
}
