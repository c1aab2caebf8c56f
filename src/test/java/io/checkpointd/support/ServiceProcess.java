package io.checkpointd.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.checkpointd.embedded.StalePostmaster;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a real OS process, in its
 * own working directory, so it can be killed and started again like a user would.
 */
public final class ServiceProcess implements AutoCloseable {

  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

  private final Path workDir;
  private final List<String> properties;
  private final int port;
  private Process process;
  private int lives;

  public ServiceProcess(Path workDir, List<String> properties) {
    this.workDir = workDir;
    this.properties = List.copyOf(properties);
    this.port = freePort();
  }

  /** Starts the service and waits until it is ready. */
  public ServiceProcess start() {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run the tests with `./mvnw verify`, which packages first");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // As in production (README, Dockerfile): an OutOfMemoryError ends the process.
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-Dquarkus.http.port=" + port);
    properties.forEach(p -> command.add("-D" + p));
    // The process tests' statements belong in the corpus of record-statements.sh too: the
    // takeovers of dead instances run only here.
    String record = System.getProperty("io.checkpointd.sql.record");
    if (record != null) {
      command.add("-Dio.checkpointd.sql.record=" + record);
    }
    command.add("-jar");
    command.add(JAR.toString());
    lives++;
    try {
      process = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log(lives).toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      awaitReady();
    } catch (RuntimeException | Error e) {
      // the caller's try-with-resources has not got hold of us yet: do not leak the process
      process.destroyForcibly();
      try {
        close();
      } catch (Exception cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return this;
  }

  private void awaitReady() {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("service exited with " + process.exitValue() + ":\n" + output());
          }
          try {
            return api().get("/q/health/ready").statusCode() == 200;
          } catch (Exception notYet) { // connection refused until the HTTP server is up
            return false;
          }
        });
  }

  /** SIGSTOP: the process freezes (as in a long GC pause) but keeps its sockets and state. */
  public void freeze() throws Exception {
    signal("STOP");
  }

  /** SIGCONT: a frozen process wakes up where it was. */
  public void thaw() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    int rc = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new IllegalStateException("kill -" + name + " failed with " + rc);
    }
  }

  /** kill -9: no shutdown hook, no last checkpoint. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as {@code docker stop} and Kubernetes send it; waits for the process to exit. */
  public void terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("service did not exit within 60 s of SIGTERM");
    }
  }

  /** Where the service answers, for clients in other processes. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public RequestSpecification api() {
    return given().baseUri("http://localhost").port(port);
  }

  public String createJob(String body) {
    return api().contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(201).extract().path("id");
  }

  public JsonPath job(String id) {
    return api().get("/jobs/" + id).then().statusCode(200).extract().jsonPath();
  }

  public JsonPath awaitJob(String id, Duration timeout, Predicate<JsonPath> condition) {
    // A path that is not there yet (lastCheckpoint before the first one) reads as null: not yet.
    return await().atMost(timeout).pollInterval(Duration.ofMillis(50)).ignoreException(NullPointerException.class)
        .until(() -> job(id), condition::test);
  }

  /** What the current life of the process has printed. */
  public String output() {
    try {
      return Files.readString(log(lives));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      terminate();
    }
    // After a kill -9 the embedded PostgreSQL outlives the service: do not leak it.
    StalePostmaster.stopIfRunning(workDir.resolve("data/postgres"), Duration.ofSeconds(30));
  }

  private Path log(int life) {
    return workDir.resolve("service-" + life + ".log");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
