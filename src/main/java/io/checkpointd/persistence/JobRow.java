package io.checkpointd.persistence;

/** Column lists shared by the repository's statements. */
final class JobRow {

  static final String CLAIMED_COLUMNS =
      "id, kind, params::text, checkpoint_every_iterations, checkpoint_every_seconds, epoch, total";

  private JobRow() {}
}
