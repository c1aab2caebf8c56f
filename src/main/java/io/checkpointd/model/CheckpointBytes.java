package io.checkpointd.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** How a stored checkpoint's bytes are checked and read back as JSON. */
public final class CheckpointBytes {

  public static final String JSON = "json";
  public static final String JSON_GZIP = "json+gzip";

  private CheckpointBytes() {}

  public static boolean isIntact(StoredCheckpoint checkpoint) {
    return Sha256.hex(checkpoint.state()).equals(checkpoint.checksum());
  }

  /**
   * The length of the state's JSON, counted up to {@code limit + 1} only: a gzipped state is
   * inflated into a small buffer and thrown away, so measuring a 64 MiB state costs no 64 MiB.
   */
  public static long jsonLength(StoredCheckpoint checkpoint, long limit) {
    if (!JSON_GZIP.equals(checkpoint.encoding())) {
      return checkpoint.state().length;
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(checkpoint.state()))) {
      byte[] scratch = new byte[64 * 1024];
      long length = 0;
      for (int n; length <= limit && (n = in.read(scratch)) > 0; ) {
        length += n;
      }
      return length;
    } catch (IOException e) {
      throw new UnreadableStateException("checkpoint " + checkpoint.seq() + " is not valid gzip: " + e.getMessage());
    }
  }

  /** The checkpoint's state as a stream of JSON bytes, inflated as it is read if gzipped. */
  public static InputStream open(StoredCheckpoint checkpoint) {
    InputStream stored = new ByteArrayInputStream(checkpoint.state());
    if (!JSON_GZIP.equals(checkpoint.encoding())) {
      return stored;
    }
    try {
      return new GZIPInputStream(stored);
    } catch (IOException e) {
      throw new UnreadableStateException("checkpoint " + checkpoint.seq() + " is not valid gzip: " + e.getMessage());
    }
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
