package io.checkpointd.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the text of every statement the service prepares, each once, when the system property
 * {@value #PROPERTY} names a file: the release's statements, which the next release's schema must
 * still run (PreviousReleaseStatementsTest; src/test/resources/upgrade/record-statements.sh makes
 * the corpus). Unset, as in production, it costs one branch on a static final that the JIT folds.
 */
final class SqlRecorder {

  // Outside the "checkpointd." namespace, whose keys must all be known to CheckpointdConfig.
  static final String PROPERTY = "io.checkpointd.sql.record";
  /** A line of its own between two statements: statements may span lines, never hold this one. */
  static final String SEPARATOR = "-- statement";

  private static final String FILE = System.getProperty(PROPERTY);
  private static final boolean ON = FILE != null && !FILE.isBlank();
  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

  private SqlRecorder() {}

  static void record(String sql) {
    if (ON && SEEN.add(sql)) {
      append(sql);
    }
  }

  private static void append(String sql) {
    // One write per entry in append mode: entries from several JVMs (or from the class loaders of
    // several Quarkus test applications in one JVM) interleave whole, never mid-statement.
    byte[] entry = (SEPARATOR + "\n" + sql.strip() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Files.write(Path.of(FILE), entry, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record a statement in " + FILE, e);
    }
  }
}
