package io.checkpointd.support;

import static io.checkpointd.support.Jobs.squaresUpTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.embedded.EmbeddedPostgresLauncher;
import io.restassured.path.json.JsonPath;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One real PostgreSQL shared by instances of the packaged service, each a real process in its own
 * working directory: what the multi-instance tests start, kill, freeze, and take the database from.
 */
public final class SharedDatabaseCluster implements AutoCloseable {

  private final Path dir;
  private final int port;
  private final List<ServiceProcess> instances = new ArrayList<>();
  private EmbeddedPostgres postgres;

  private SharedDatabaseCluster(Path dir, int port) throws Exception {
    this.dir = dir;
    this.port = port;
    this.postgres = EmbeddedPostgresLauncher.start(dir.resolve("pg"), port);
  }

  /** A database in {@code dir}, on a free port that it keeps across {@link #startDatabaseAgain}. */
  public static SharedDatabaseCluster start(Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return new SharedDatabaseCluster(dir, port);
  }

  /**
   * A started instance on the shared database, working in {@code workDirName} (an instance started
   * again in the same one finds its own files there), with {@code settings} after the database's.
   */
  public ServiceProcess instance(String workDirName, List<String> settings) throws Exception {
    List<String> all = new ArrayList<>(List.of(
        "quarkus.datasource.jdbc.url=" + postgres.getJdbcUrl("postgres", "postgres"),
        "quarkus.datasource.username=postgres",
        "quarkus.datasource.password=" + EmbeddedPostgresLauncher.password(dir.resolve("pg"))));
    all.addAll(settings); // later settings win
    ServiceProcess instance = new ServiceProcess(Files.createDirectories(dir.resolve(workDirName)), all);
    instances.add(instance);
    return instance.start();
  }

  /** A connection straight to the database, to see what the API does not show. */
  public Connection sql() throws Exception {
    return postgres.getPostgresDatabase().getConnection();
  }

  /** The database goes away, as in an outage: every instance loses its connections. */
  public void stopDatabase() throws Exception {
    postgres.close();
  }

  /** The same database back, on the same port, with everything it had stored. */
  public void startDatabaseAgain() throws Exception {
    postgres = EmbeddedPostgresLauncher.start(dir.resolve("pg"), port);
  }

  @Override
  public void close() throws Exception {
    for (ServiceProcess instance : instances) {
      try {
        instance.thaw(); // a frozen process would not hear its SIGTERM
      } catch (Exception alreadyGone) {
        // killed by the test
      }
      instance.close();
    }
    postgres.close();
  }

  /** {@code count} squares jobs up to {@code limit}, 100 ms a step, checkpointed every 3 steps. */
  public static List<String> squaresJobs(ServiceProcess via, int count, int limit) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(via.createJob("{\"kind\":\"squares\",\"params\":{\"limit\":" + limit
          + ",\"delayMs\":100},\"checkpoint\":{\"everyIterations\":3}}"));
    }
    return ids;
  }

  /** Every job ends SUCCEEDED within {@code timeout}, with exactly the squares up to {@code limit}. */
  public static void assertAllExact(ServiceProcess via, List<String> ids, int limit, Duration timeout) {
    for (String id : ids) {
      JsonPath job = via.awaitJob(id, timeout, j -> !List.of("QUEUED", "RUNNING").contains(j.getString("status")));
      assertThat(job.getString("status")).as("job %s", id).isEqualTo("SUCCEEDED");
      assertThat(job.getList("result.data", Long.class)).as("job %s", id).isEqualTo(squaresUpTo(limit));
    }
  }

  /** Running jobs per instance, from one listing so the figures belong to one moment. */
  public static Map<String, Long> runningPerInstance(ServiceProcess via) {
    List<String> owners = via.api().queryParam("status", "RUNNING").queryParam("limit", 500).get("/jobs")
        .then().statusCode(200).extract().path("items.instance");
    return owners.stream().filter(Objects::nonNull).collect(Collectors.groupingBy(o -> o, Collectors.counting()));
  }
}
