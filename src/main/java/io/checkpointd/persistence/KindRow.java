package io.checkpointd.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A kind declared by external workers, as stored (plain CRUD: Panache; the job table is read with SQL only). */
@Entity
@Table(name = "job_kind")
class KindRow extends PanacheEntityBase {

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
