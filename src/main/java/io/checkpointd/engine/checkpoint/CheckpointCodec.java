package io.checkpointd.engine.checkpoint;

import io.checkpointd.kind.Computation;
import io.checkpointd.model.CheckpointBytes;
import io.checkpointd.model.CheckpointTooLargeException;
import io.checkpointd.model.CheckpointWrite;
import io.checkpointd.model.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a job's state into checkpoint bytes (JSON, gzipped above a threshold) with a SHA-256 of
 * the stored bytes; {@link CheckpointBytes} checks and decodes them on the way back.
 */
public final class CheckpointCodec {

  private final long maxBytes;
  private final int compressAbove;

  public CheckpointCodec(long maxBytes, int compressAbove) {
    this.maxBytes = maxBytes;
    this.compressAbove = compressAbove;
  }

  /** Snapshots {@code state} as bytes now, so the job may go on while the bytes are written. */
  public CheckpointWrite encode(long seq, Computation<?, ?> computation, Object state) {
    return encode(seq, computation.iteration(state), computation.stateVersion(), computation.serialize(state));
  }

  /** Checkpoint bytes of a state that is already JSON (an external worker's). */
  public CheckpointWrite encode(long seq, long iteration, int stateVersion, byte[] json) {
    String encoding = CheckpointBytes.JSON;
    byte[] stored = json;
    if (json.length > compressAbove) {
      stored = gzip(json);
      encoding = CheckpointBytes.JSON_GZIP;
    }
    if (stored.length > maxBytes) {
      throw new CheckpointTooLargeException(stored.length, maxBytes);
    }
    return new CheckpointWrite(seq, iteration, stateVersion, encoding, stored, Sha256.hex(stored));
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
}
