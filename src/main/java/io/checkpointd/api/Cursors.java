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

  private Cursors() {}

  static String of(JobSnapshot last) {
    String raw = last.createdAt().toString() + "|" + last.id();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static JobCursor parse(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      return new JobCursor(OffsetDateTime.parse(raw.substring(0, bar)), UUID.fromString(raw.substring(bar + 1)));
    } catch (RuntimeException e) {
      throw new InvalidParamsException("cursor", "is not a cursor this service gave out; use nextCursor from a previous page");
    }
  }
}
