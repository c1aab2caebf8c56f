package io.checkpointd.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One instance of the packaged service, as a process, for the benchmarks. */
final class Service implements AutoCloseable {

  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  final int port;
  final String name;
  private final Process process;

  private Service(String name, int port, Process process) {
    this.name = name;
    this.port = port;
    this.process = process;
  }

  private volatile String key;

  /**
   * CPU time (ms) the service's JIT compiler threads have used, read from Linux's /proc; -1
   * where there is none. Why: a fresh service compiles for tens of seconds under a new load, and a
   * figure taken meanwhile measures the compiler as much as the path.
   */
  long compilerCpuMillis() {
    java.nio.file.Path tasks = java.nio.file.Path.of("/proc", Long.toString(process.pid()), "task");
    long ticks = 0;
    try (var threads = java.nio.file.Files.list(tasks)) {
      for (java.nio.file.Path task : threads.toList()) {
        try {
          if (!java.nio.file.Files.readString(task.resolve("comm")).contains("Compiler")) {
            continue;
          }
          String stat = java.nio.file.Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (java.io.IOException | RuntimeException threadGone) {
          // a compiler thread may end between the listing and the read
        }
      }
    } catch (java.io.IOException | RuntimeException noProc) {
      return -1;
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  /**
   * Waits at least {@code minMillis}, then until the JIT compilers used under 5% of a core over
   * the last second (at most {@code maxMillis} in all): the load running meanwhile is compiled.
   */
  void awaitCompiled(long minMillis, long maxMillis) throws InterruptedException {
    long start = System.nanoTime();
    Thread.sleep(minMillis);
    long before = compilerCpuMillis();
    while (before >= 0 && (System.nanoTime() - start) / 1_000_000 < maxMillis) {
      Thread.sleep(1000);
      long now = compilerCpuMillis();
      if (now - before < 50) {
        return;
      }
      before = now;
    }
  }

  static Service start(Path workDir, Database db, String name, List<String> props) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(workDir);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+ExitOnOutOfMemoryError",
        "-Dquarkus.http.port=" + port,
        "-Dquarkus.datasource.jdbc.url=" + db.url(),
        "-Dquarkus.datasource.username=" + db.user(),
        "-Dquarkus.datasource.password=" + db.password(),
        "-Dcheckpointd.instance-id=" + name,
        // The benchmarks' jobs are counter jobs, a kind production does not offer.
        "-Dcheckpointd.kinds.counter-enabled=true",
        // The benchmarks measure commits per checkpoint policy, not under the production floor.
        "-Dcheckpointd.checkpoints.min-interval=0ms",
        "-Dquarkus.log.level=WARN"));
    props.forEach(p -> command.add("-D" + p));
    // BENCH_JFR=<dir> records a flight recording of each service, to see where a figure's time goes.
    String jfr = System.getenv("BENCH_JFR");
    if (jfr != null && !jfr.isBlank()) {
      command.add("-XX:StartFlightRecording=settings=profile,jdk.ExecutionSample#period=2ms,filename=" + Path.of(jfr, name + ".jfr").toAbsolutePath());
    }
    command.add("-jar");
    command.add(Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString());
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(workDir.resolve(name + ".log").toFile()).start();
    Service service = new Service(name, port, process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("service " + name + " died: see " + workDir.resolve(name + ".log"));
      }
      try {
        if (service.get("/q/health/ready").statusCode() == 200) {
          return service;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("service " + name + " did not become ready");
  }

  /** Sends {@code Authorization: Bearer <key>} with every later request (null: none). */
  void authorize(String key) {
    this.key = key;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return HTTP.send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
    return HTTP.send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    String k = key;
    return k == null ? b : b.header("Authorization", "Bearer " + k);
  }

  URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  long pid() {
    return process.pid();
  }

  /** Resident memory in KiB and thread count, from /proc. */
  long[] rssKibAndThreads() throws IOException {
    long rss = 0;
    long threads = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      } else if (line.startsWith("Threads:")) {
        threads = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return new long[] {rss, threads};
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
