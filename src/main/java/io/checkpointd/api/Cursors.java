package io.checkpointd.api;

import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.model.JobCursor;
import io.checkpointd.model.JobSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/** Opaque page cursors: the (created_at, id) of the last job on a page. */
final class Cursors {

  private static final int MIN_YEAR = 1970;
  private static final int MAX_YEAR = 9999;

  private Cursors() {}

  static String of(JobSnapshot last) {
    String raw = last.createdAt().toString() + "|" + last.id();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static JobCursor parse(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      OffsetDateTime createdAt = OffsetDateTime.parse(raw.substring(0, bar));
      // Java reads years up to +-999,999,999, PostgreSQL's timestamptz does not (the query would
      // fail with a 500); no job was created outside these years, so no cursor of ours is.
      if (createdAt.getYear() < MIN_YEAR || createdAt.getYear() > MAX_YEAR) {
        throw new IllegalArgumentException("year out of range");
      }
      return new JobCursor(createdAt, UUID.fromString(raw.substring(bar + 1)));
    } catch (RuntimeException e) {
      throw new InvalidParamsException("cursor", "is not a cursor this service gave out; use nextCursor from a previous page");
    }
  }
}
