package io.checkpointd.engine.checkpoint;

import io.checkpointd.kind.Computation;
import io.checkpointd.kind.UnreadableStateException;
import io.checkpointd.persistence.CheckpointWrite;
import io.checkpointd.persistence.StoredCheckpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a job's state into checkpoint bytes (JSON, gzipped above a threshold) with a SHA-256 of
 * the stored bytes, and checks and decodes them on the way back.
 */
public final class CheckpointCodec {

  public static final String JSON = "json";
  public static final String JSON_GZIP = "json+gzip";

  private final long maxBytes;
  private final int compressAbove;

  public CheckpointCodec(long maxBytes, int compressAbove) {
    this.maxBytes = maxBytes;
    this.compressAbove = compressAbove;
  }

  /** Snapshots {@code state} as bytes now, so the job may go on while the bytes are written. */
  public CheckpointWrite encode(long seq, Computation<?, ?> computation, Object state) {
    byte[] json = computation.serialize(state);
    String encoding = JSON;
    byte[] stored = json;
    if (json.length > compressAbove) {
      stored = gzip(json);
      encoding = JSON_GZIP;
    }
    if (stored.length > maxBytes) {
      throw new CheckpointTooLargeException(stored.length, maxBytes);
    }
    return new CheckpointWrite(seq, computation.iteration(state), computation.stateVersion(), encoding, stored, sha256(stored));
  }

  public static boolean isIntact(StoredCheckpoint checkpoint) {
    return sha256(checkpoint.state()).equals(checkpoint.checksum());
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

  public static String jsonText(StoredCheckpoint checkpoint) {
    return new String(json(checkpoint), StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
