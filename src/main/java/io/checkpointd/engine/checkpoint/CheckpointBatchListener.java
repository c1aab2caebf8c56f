package io.checkpointd.engine.checkpoint;

/**
 * Told about every checkpoint batch the group-commit writer finished: its size and commit time
 * exist only inside the writer. Called on a writer thread after the commit: quick, never blocking.
 */
public interface CheckpointBatchListener {

  CheckpointBatchListener NONE = (committed, bytes, refusedForStaleLease, commitNanos) -> {};

  /**
   * @param committed checkpoints stored by the batch's transaction
   * @param bytes their stored state, in bytes
   * @param refusedForStaleLease writes refused because their lease had moved on: zombie writes prevented
   * @param commitNanos how long the batch's transaction took, commit included
   */
  void batchDone(int committed, long bytes, int refusedForStaleLease, long commitNanos);
}
