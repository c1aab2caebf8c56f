package io.checkpointd.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code clients/python/squares_worker.py} process, as a user runs it. Signals go to the
 * interpreter itself (not a launcher script that would take them in its place).
 */
public final class PythonWorker implements AutoCloseable {

  private static final Path SCRIPT = Path.of("clients", "python", "squares_worker.py").toAbsolutePath();
  private static String python;

  private final String name;
  private final Path log;
  private final Process process;

  public PythonWorker(String name, String url, Path dir, double leaseTtlSeconds) {
    this.name = name;
    this.log = dir.resolve("worker-" + name + ".log");
    try {
      process = new ProcessBuilder(interpreter(), "-u", SCRIPT.toString(), "--url", url, "--name", name,
              "--wait", "5", "--lease-ttl", Double.toString(leaseTtlSeconds))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public void signal(String signal) throws Exception {
    int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new IllegalStateException("kill -" + signal + " failed with " + rc);
    }
  }

  /** Waits for the process to exit and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("worker " + name + " did not exit within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      signal("CONT");
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The Python interpreter's own executable (python3 may be a launcher that runs it as a child). */
  private static synchronized String interpreter() throws IOException {
    if (python == null) {
      Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      python = new String(p.getInputStream().readAllBytes()).trim();
      if (python.isEmpty()) {
        throw new IllegalStateException("python3 is needed for the external worker tests");
      }
    }
    return python;
  }

  /** The workers as a list, for closing together. */
  public static void closeAll(List<PythonWorker> workers) throws Exception {
    for (PythonWorker w : workers) {
      w.close();
    }
  }
}
