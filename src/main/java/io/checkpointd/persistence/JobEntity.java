package io.checkpointd.persistence;

import io.checkpointd.job.JobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A job row as the API reads it. The engine never changes a job through this entity: its writes
 * are conditional SQL in {@link JobRepository}, fenced by the lease epoch.
 */
@Entity
@Table(name = "job")
public class JobEntity {

  @Id public UUID id;

  public String kind;

  @JdbcTypeCode(SqlTypes.JSON)
  public String params;

  @Column(name = "checkpoint_every_iterations")
  public Integer checkpointEveryIterations;

  @Column(name = "checkpoint_every_seconds")
  public Double checkpointEverySeconds;

  @Enumerated(EnumType.STRING)
  public JobStatus status;

  public long iteration;

  public long total;

  @JdbcTypeCode(SqlTypes.JSON)
  public String result;

  public String error;

  public String owner;

  @Enumerated(EnumType.STRING)
  public RequestedStop requested;

  public int attempts;

  @Column(name = "max_attempts")
  public int maxAttempts;

  public Double rate;

  @Column(name = "idempotency_key")
  public String idempotencyKey;

  @Column(name = "request_hash")
  public String requestHash;

  public long epoch;

  @Column(name = "lease_expires_at")
  public OffsetDateTime leaseExpiresAt;

  public int recoveries;

  // The newest checkpoint is read from the checkpoint table: the job row is not written on every
  // checkpoint (see JobRows.SYNC_LAST_CHECKPOINT) and only has it as of the job's last change of
  // hands, which is what remains once a succeeded job's checkpoints are gone. A job's seqs run
  // 1, 2, 3, … across owners, so the newest seq is also the number of checkpoints written.
  private static final String NEWEST_SEQ = "(select max(c.seq) from checkpoint c where c.job_id = id)";
  private static final String OF_NEWEST = " from checkpoint c where c.job_id = id and c.seq = " + NEWEST_SEQ + ")";

  @Formula("coalesce(" + NEWEST_SEQ + ", last_checkpoint_seq)")
  public Long lastCheckpointSeq;

  @Formula("coalesce((select c.iteration" + OF_NEWEST + ", last_checkpoint_iteration)")
  public Long lastCheckpointIteration;

  @Formula("coalesce((select c.created_at" + OF_NEWEST + ", last_checkpoint_at)")
  public OffsetDateTime lastCheckpointAt;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  @Column(name = "started_at")
  public OffsetDateTime startedAt;

  @Column(name = "finished_at")
  public OffsetDateTime finishedAt;
}
