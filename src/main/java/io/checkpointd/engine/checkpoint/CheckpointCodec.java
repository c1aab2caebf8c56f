package io.checkpointd.engine.checkpoint;

import io.checkpointd.kind.Computation;
import io.checkpointd.persistence.CheckpointWrite;
import io.checkpointd.persistence.StoredCheckpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Turns a job's state into checkpoint bytes with a checksum, and checks them on the way back. */
public final class CheckpointCodec {

  private CheckpointCodec() {}

  public static CheckpointWrite encode(Computation<?, ?> computation, Object state) {
    byte[] json = computation.serialize(state);
    return new CheckpointWrite(computation.iteration(state), computation.stateVersion(), json, sha256(json));
  }

  public static boolean isIntact(StoredCheckpoint checkpoint) {
    return sha256(checkpoint.state()).equals(checkpoint.checksum());
  }

  public static String json(StoredCheckpoint checkpoint) {
    return new String(checkpoint.state(), StandardCharsets.UTF_8);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
