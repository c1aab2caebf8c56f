package io.checkpointd.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A kind declared by external workers, as stored (plain CRUD: Panache; the job table is read with SQL only). */
@Entity
@Table(name = "job_kind")
@IdClass(KindRow.Key.class)
class KindRow extends PanacheEntityBase {

  /** A kind is named within its tenant. */
  record Key(String tenant, String name) implements Serializable {}

  @Id public String tenant;

  @Id public String name;

  public String description;

  /** The parameters as the JSON array clients sent, normalised. */
  @JdbcTypeCode(SqlTypes.JSON)
  public String parameters;

  @Column(name = "state_version")
  public int stateVersion;

  @Column(name = "total_param")
  public String totalParam;

  @Column(name = "created_at", insertable = false, updatable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;
}
