package io.checkpointd.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A stored state snapshot of a job. */
@Entity
@Table(name = "checkpoint")
@IdClass(CheckpointEntity.Key.class)
public class CheckpointEntity {

  /** The composite key (job, sequence number); Hibernate needs a mutable class here. */
  public static class Key implements Serializable {
    public UUID jobId;
    public long seq;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && java.util.Objects.equals(jobId, k.jobId) && seq == k.seq;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(jobId, seq);
    }
  }

  @Id
  @Column(name = "job_id")
  public UUID jobId;

  @Id public long seq;

  public long iteration;

  @Column(name = "state_version")
  public int stateVersion;

  public String encoding;

  public byte[] state;

  @Column(name = "size_bytes")
  public int sizeBytes;

  public String checksum;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;
}
