package io.checkpointd.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/** How a stored checkpoint's bytes are checked and read back as JSON. */
public final class CheckpointBytes {

  public static final String JSON = "json";
  public static final String JSON_GZIP = "json+gzip";

  private CheckpointBytes() {}

  public static boolean isIntact(StoredCheckpoint checkpoint) {
    return Sha256.hex(checkpoint.state()).equals(checkpoint.checksum());
  }

  /** The checkpoint's state as JSON bytes, decompressed if need be. */
  public static byte[] json(StoredCheckpoint checkpoint) {
    if (JSON_GZIP.equals(checkpoint.encoding())) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(checkpoint.state()))) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UnreadableStateException("checkpoint " + checkpoint.seq() + " is not valid gzip: " + e.getMessage());
      }
    }
    return checkpoint.state();
  }
}
