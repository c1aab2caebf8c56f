package io.checkpointd.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.checkpointd.config.QuotasConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmarks of {@code bench/run.sh}: each figure next to a baseline measured in the same run
 * on the same database, as a ratio, so that a busy or slow machine moves both alike.
 */
public final class Benchmark {

  /** One figure of the table. */
  public record Result(String name, double value, String unit, String baselineName, Double baseline, Double ratio) {}

  private final boolean quick;
  private String only = "";
  // --jobs=1000,10000: the throughput part with just these numbers of jobs
  private String jobs = "";
  // --prop=key=value: extra service settings, for trying engine settings
  private final List<String> extraProps = new ArrayList<>();
  private final Path work;
  private final Database db;
  private final List<Result> results = new ArrayList<>();
  private int lives;

  private Benchmark(boolean quick, Path work, Database db) {
    this.quick = quick;
    this.work = work;
    this.db = db;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    Path work = Path.of("target", "bench", "work").toAbsolutePath();
    deleteRecursively(work);
    Files.createDirectories(work);
    long started = System.nanoTime();
    try (Database db = Database.open(work.resolve("pg"))) {
      Benchmark bench = new Benchmark(quick, work, db);
      Arrays.stream(args).filter(a -> a.startsWith("--only=")).findFirst().ifPresent(a -> bench.only = a.substring(7));
      Arrays.stream(args).filter(a -> a.startsWith("--jobs=")).findFirst().ifPresent(a -> bench.jobs = a.substring(7));
      Arrays.stream(args).filter(a -> a.startsWith("--prop=")).forEach(a -> bench.extraProps.add(a.substring(7)));
      bench.run();
      bench.report(started);
    }
  }

  private void run() throws Exception {
    int[] sizes = jobs.isEmpty()
        ? (quick ? new int[] {100, 1000} : new int[] {100, 1000, 10_000})
        : Arrays.stream(jobs.split(",")).mapToInt(Integer::parseInt).toArray();
    if (selected("throughput")) {
      for (int n : sizes) {
        checkpointThroughput(n);
      }
    }
    if (selected("observed")) {
      for (int n : sizes) {
        observedThroughput(n);
      }
    }
    if (selected("overhead")) {
      checkpointOverhead();
    }
    if (selected("latency")) {
      startLatency();
    }
    if (selected("recovery")) {
      recovery(quick ? 300 : 1000);
    }
    if (selected("api")) {
      api();
    }
    if (selected("external")) {
      externalCheckpoints(64);
      claimLatency();
    }
    if (selected("memory")) {
      memory(quick ? 2000 : 10_000);
    }
  }

  /** {@code --only=throughput,api} runs just those parts (for working on one figure). */
  private boolean selected(String part) {
    return only.isEmpty() || Arrays.asList(only.split(",")).contains(part);
  }

  // ---- 1. checkpoint throughput against one commit per checkpoint ---------------------------

  private void checkpointThroughput(int jobs) throws Exception {
    int connections = Math.min(jobs, 20); // the service's pool size
    double window = quick ? 3 : 8;
    double grouped = serviceCheckpointRate(jobs, window, "1000");
    double ungrouped = serviceCheckpointRate(jobs, window, "1");
    double sameWrite = plainJdbcRate(connections, window, Ceiling.SAME_WRITE);
    double insert = plainJdbcRate(connections, window, Ceiling.PLAIN_INSERT);
    String sameWriteName = "plain JDBC, same write, 1 commit each, " + connections + " connections";
    add("checkpoints/s, " + jobs + " jobs, group commit", grouped, "checkpoints/s", sameWriteName, sameWrite);
    // the cheapest durable single-row write there is, so that the ratio does not flatter the engine
    add("checkpoints/s, " + jobs + " jobs, group commit", grouped, "checkpoints/s",
        "plain JDBC, 1-row insert, 1 commit each, " + connections + " connections", insert);
    add("checkpoints/s, " + jobs + " jobs, group commit off", ungrouped, "checkpoints/s", sameWriteName, sameWrite);
  }

  // A job's checkpoints are numbered 1, 2, 3, …: its newest seq is how many it wrote.
  private static final String CHECKPOINTS_WRITTEN =
      "select coalesce(sum(s), 0) from (select max(seq) s from checkpoint group by job_id) newest";

  // ---- 1b. the same, watched: live streams open and Prometheus scraping ----------------------

  static final int OBSERVERS = 20;

  /**
   * Group commit with {@value #OBSERVERS} clients on {@code GET /jobs/stream} (reading everything)
   * and a {@code /q/metrics} scrape every second, beside nobody watching. Why in alternating
   * windows of one service rather than two runs: on a shared machine the load drifts over minutes,
   * and the two figures must see the same drift. Metrics and streams must cost less than 10%.
   */
  private void observedThroughput(int jobs) throws Exception {
    int rounds = quick ? 3 : 5;
    double window = quick ? 2 : 4;
    double plain = 0;
    double watched = 0;
    reset();
    try (Service service = start("obs", List.of("checkpointd.workers=" + jobs))) {
      insertCounterJobs(jobs, 1_000_000_000L, 0, 1);
      awaitRunning(jobs, 180);
      Thread.sleep(quick ? 1000 : 2000); // warm-up
      for (int round = 0; round < rounds; round++) {
        plain += checkpointRate(window);
        try (Watchers watchers = Watchers.start(service, OBSERVERS)) {
          Thread.sleep(500); // connected
          watched += checkpointRate(window);
          if (watchers.events() == 0) {
            throw new IllegalStateException("the streams received nothing: the watched figure would measure nothing");
          }
        }
      }
    }
    add("checkpoints/s, " + jobs + " jobs, group commit, " + OBSERVERS + " streams + scrape/s", watched / rounds,
        "checkpoints/s", "same service, alternate windows with nobody watching", plain / rounds);
  }

  private double checkpointRate(double seconds) throws Exception {
    long before = db.queryLong(CHECKPOINTS_WRITTEN);
    long t0 = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    long after = db.queryLong(CHECKPOINTS_WRITTEN);
    return (after - before) / ((System.nanoTime() - t0) / 1e9);
  }

  private double serviceCheckpointRate(int jobs, double seconds, String maxBatch) throws Exception {
    reset();
    List<String> props = new ArrayList<>(List.of("checkpointd.workers=" + jobs, "checkpointd.checkpoints.max-batch=" + maxBatch));
    props.addAll(extraProps);
    try (Service service = start("tp", props)) {
      insertCounterJobs(jobs, 1_000_000_000L, 0, 1);
      awaitRunning(jobs, 180);
      Thread.sleep(quick ? 1000 : 2000); // warm-up
      return checkpointRate(seconds);
    }
  }

  /** Clients reading the all-jobs stream, and a scrape of /q/metrics every second, as a dashboard and Prometheus do. */
  private static final class Watchers implements AutoCloseable {
    private final List<java.util.concurrent.CompletableFuture<?>> streams = new ArrayList<>();
    private final java.util.concurrent.ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
    // its own client and reader threads: reading a stream blocks, and must not block anyone else's requests
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().executor(readers).build();
    private final AtomicLong events = new AtomicLong();

    static Watchers start(Service service, int streams) {
      Watchers w = new Watchers();
      for (int i = 0; i < streams; i++) {
        w.streams.add(w.http.sendAsync(
            java.net.http.HttpRequest.newBuilder(service.uri("/jobs/stream")).header("Accept", "text/event-stream").build(),
            java.net.http.HttpResponse.BodyHandlers.ofLines())
            .thenAcceptAsync(r -> r.body().forEach(line -> {
              if (line.startsWith("data:")) {
                w.events.incrementAndGet();
              }
            }), w.readers));
      }
      w.scraper.scheduleAtFixedRate(() -> {
        try {
          service.get("/q/metrics");
        } catch (Exception e) {
          // a missed scrape is a missed scrape
        }
      }, 0, 1, TimeUnit.SECONDS);
      return w;
    }

    long events() {
      return events.get();
    }

    @Override
    public void close() {
      scraper.shutdownNow();
      streams.forEach(s -> s.cancel(true));
      readers.shutdownNow(); // interrupts the readers: their connections close
    }
  }

  /** A one-commit-per-checkpoint loop's write, and the key of its table. */
  private enum Ceiling {
    // What a checkpoint writes: a ~200-byte state upserted into a ring of three slots.
    SAME_WRITE(" on conflict (job_id, slot) do update set seq = excluded.seq, iteration = excluded.iteration,"
        + " state = excluded.state, size_bytes = excluded.size_bytes, checksum = excluded.checksum,"
        + " created_at = excluded.created_at where bench_checkpoint.seq < excluded.seq", "job_id, slot"),
    // The same row as a plain insert, one new row per checkpoint.
    PLAIN_INSERT("", "job_id, seq");

    final String sql;
    final String key;

    Ceiling(String onConflict, String key) {
      this.sql = "insert into bench_checkpoint (job_id, slot, seq, iteration, state_version, encoding, state, size_bytes,"
          + " checksum) values (?, ?, ?, ?, 1, 'json', ?, ?, ?)" + onConflict;
      this.key = key;
    }
  }

  /**
   * The ceiling of one commit per checkpoint: {@code connections} loops, each writing a job's
   * checkpoints with {@code write}, one autocommitted statement at a time, into a table shaped like
   * {@code checkpoint}.
   */
  private double plainJdbcRate(int connections, double seconds, Ceiling write) throws Exception {
    db.execute("drop table if exists bench_checkpoint");
    db.execute("create table bench_checkpoint (like checkpoint including defaults including constraints)"
        + " with (fillfactor = 50)");
    db.execute("alter table bench_checkpoint add primary key (" + write.key + ")");
    byte[] state = ("{\"count\":0,\"payload\":\"" + "x".repeat(180) + "\"}").getBytes(StandardCharsets.UTF_8);
    String checksum = "0".repeat(64);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong written = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<?>> loops = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      loops.add(pool.submit(() -> {
        UUID id = UUID.randomUUID();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(write.sql)) {
          for (long seq = 1; !stop.get(); seq++) {
            ps.setObject(1, id);
            ps.setInt(2, (int) (seq % 3));
            ps.setLong(3, seq);
            ps.setLong(4, seq);
            ps.setBytes(5, state);
            ps.setInt(6, state.length);
            ps.setString(7, checksum);
            ps.executeUpdate(); // autocommit: one durable commit per checkpoint
            written.incrementAndGet();
          }
        }
        return null;
      }));
    }
    double rate = rateOf(written, 1000, seconds, stop, loops, pool);
    db.execute("drop table bench_checkpoint");
    return rate;
  }

  // ---- 2. what checkpointing costs one job ----------------------------------------------------

  private void checkpointOverhead() throws Exception {
    reset();
    long iterations = quick ? 20_000 : 50_000;
    try (Service service = start("overhead", List.of("checkpointd.workers=1"))) {
      double none = singleJobRate(service, iterations * 20, 1_000_000_000);
      double every100 = singleJobRate(service, iterations * 20, 100);
      double every1 = singleJobRate(service, iterations / 10, 1);
      add("1 job, checkpoint every 100 iterations", every100, "iterations/s", "no checkpoint", none);
      add("1 job, checkpoint every iteration", every1, "iterations/s", "no checkpoint", none);
    }
  }

  private double singleJobRate(Service service, long iterations, long every) throws Exception {
    String body = "{\"kind\":\"counter\",\"params\":{\"iterations\":" + iterations
        + "},\"checkpoint\":{\"everyIterations\":" + every + "}}";
    String id = idOf(service.post("/jobs", body).body());
    awaitSql("select count(*) from job where id = '" + id + "' and status = 'SUCCEEDED'", 1, 300);
    double seconds = db.queryLong("select (extract(epoch from finished_at - started_at) * 1000000)::bigint from job where id = '" + id + "'") / 1e6;
    return iterations / seconds;
  }

  // ---- 3. POST to RUNNING -----------------------------------------------------------------------

  private void startLatency() throws Exception {
    reset();
    int samples = quick ? 30 : 100;
    try (Service service = start("latency", List.of())) {
      for (int i = 0; i < samples; i++) {
        String id = idOf(service.post("/jobs", "{\"kind\":\"counter\",\"params\":{\"iterations\":1}}").body());
        awaitSql("select count(*) from job where id = '" + id + "' and started_at is not null", 1, 30);
      }
      double[] ms = latencies("select extract(epoch from started_at - created_at) * 1000 from job order by 1");
      double[] health = new double[samples];
      for (int i = 0; i < samples; i++) {
        long t0 = System.nanoTime();
        service.get("/q/health/live");
        health[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(health);
      add("POST /jobs to RUNNING, p50", percentile(ms, 50), "ms", "GET /q/health/live round trip, p50", percentile(health, 50));
      add("POST /jobs to RUNNING, p99", percentile(ms, 99), "ms", "GET /q/health/live round trip, p99", percentile(health, 99));
    }
  }

  private double[] latencies(String sql) throws Exception {
    List<Double> values = new ArrayList<>();
    try (Connection c = db.connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getDouble(1));
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  // ---- 4. recovery ------------------------------------------------------------------------------

  private void recovery(int jobs) throws Exception {
    reset();
    // --quick: shorter leases, as before session liveness (the kill -9 takeover no longer waits for them)
    int ttl = quick ? 4 : 12;
    int heartbeat = quick ? 1 : 3;
    List<String> props = List.of("checkpointd.workers=" + jobs, "checkpointd.lease.ttl=" + ttl + "s",
        "checkpointd.lease.heartbeat-interval=" + heartbeat + "s");
    Service first = start("node-a", props);
    insertCounterJobs(jobs, 1_000_000_000L, 200, 10);
    awaitRunning(jobs, 180);
    first.kill9();
    long t0 = System.nanoTime();
    double startup;
    try (Service again = start("node-a", props)) {
      startup = (System.nanoTime() - t0) / 1e9;
      awaitSql("select count(*) from job where status = 'RUNNING' and epoch >= 2", jobs, 180);
      double restart = (System.nanoTime() - t0) / 1e9;
      add(jobs + " jobs running again after kill -9 and restart", restart, "s", "service start-up alone", startup);
    }

    reset();
    Service a = start("node-a", props);
    insertCounterJobs(jobs, 1_000_000_000L, 200, 10);
    awaitRunning(jobs, 180);
    try (Service b = start("node-b", props)) {
      a.kill9();
      long t1 = System.nanoTime();
      awaitSql("select count(*) from job where status = 'RUNNING' and owner = 'node-b'", jobs, 180);
      double takeover = (System.nanoTime() - t1) / 1e9;
      // The survivor sees the killed instance's database session end (session liveness): it need
      // not wait out the lease TTL, which stays the path for a frozen owner, so it is the baseline.
      add(jobs + " jobs taken over by the survivor after kill -9", takeover, "s",
          "lease TTL (" + ttl + " s), the wait without session liveness", (double) ttl);
    }
  }

  // ---- 5. API -------------------------------------------------------------------------------------

  private void api() throws Exception {
    reset();
    double seconds = quick ? 2 : 8;
    int clients = 16;
    double[][] figures;
    // the creations of the warm-up and both create loops must not meet the default active-jobs quota
    List<String> props = List.of("checkpointd.engine.enabled=false", "checkpointd.quotas.active-jobs=" + QuotasConfig.MAX);
    try (Service service = start("api", props)) {
      String id = idOf(service.post("/jobs", "{\"kind\":\"counter\"}").body());
      Call health = () -> service.get("/q/health/live").statusCode();
      Call read = () -> service.get("/jobs/" + id).statusCode();
      String body = "{\"kind\":\"counter\",\"params\":{\"iterations\":10}}";
      Call create = () -> service.post("/jobs", body).statusCode();
      // The same POST to the health check, which ignores the body: what the HTTP layer and this
      // load generator do for a POST with no work behind it, on the same cores. Beside it, POST
      // /jobs shows what creating a job costs apart from sending a body and reading an answer.
      Call postHealth = () -> service.post("/q/health/live", body).statusCode();
      try (DirectCreates direct = DirectCreates.open(db, clients)) {
        // All five compiled and their connections open before any is measured: the first measured
        // would otherwise pay the JIT's warm-up alone.
        List<Call> calls = List.of(health, read, create, postHealth, direct::create);
        warmUp(service, clients, seconds, calls);
        figures = interleaved(clients, seconds, quick ? 1 : 4, calls);
      }
      double[] healthFigures = figures[0];
      double[] get = figures[1];
      double[] post = figures[2];
      double[] postCeiling = figures[3];
      double[] directFigures = figures[4];
      add("GET /jobs/{id}, " + clients + " clients", get[0], "requests/s", "GET /q/health/live", healthFigures[0]);
      add("GET /jobs/{id}, p99", get[1], "ms", "GET /q/health/live, p99", healthFigures[1]);
      add("POST /jobs, " + clients + " clients", post[0], "requests/s", "GET /q/health/live", healthFigures[0]);
      add("POST /jobs, p99", post[1], "ms", "GET /q/health/live, p99", healthFigures[1]);
      add("POST /q/health/live (a POST with no work behind it), " + clients + " clients", postCeiling[0], "requests/s",
          "GET /q/health/live", healthFigures[0]);
      add("POST /jobs beside a POST with no work, " + clients + " clients", post[0], "requests/s",
          "POST /q/health/live, the same body", postCeiling[0]);
      add("POST /jobs, " + clients + " clients", post[0], "requests/s",
          "plain JDBC, the same rows and signal, 1 commit each, " + clients + " connections", directFigures[0]);
      service.close();
      apiWithKeys(clients, seconds, get[0], post[0]);
    }
  }

  /** The same two figures with API keys required and sent, beside the run without keys just made. */
  private void apiWithKeys(int clients, double seconds, double getOpen, double postOpen) throws Exception {
    String admin = "bench-admin-key-" + UUID.randomUUID();
    try (Service service = start("api-keys", List.of("checkpointd.engine.enabled=false", "checkpointd.auth.admin-key=" + admin))) {
      service.authorize(admin);
      String created = service.post("/api-keys", "{\"tenant\":\"bench\",\"roles\":[\"operator\",\"viewer\"]}").body();
      service.authorize(created.replaceAll(".*\"key\":\"([^\"]+)\".*", "$1"));
      String id = idOf(service.post("/jobs", "{\"kind\":\"counter\"}").body());
      Call read = () -> service.get("/jobs/" + id).statusCode();
      Call create = () -> service.post("/jobs", "{\"kind\":\"counter\",\"params\":{\"iterations\":10}}").statusCode();
      warmUp(service, clients, seconds, List.of(read, create));
      double[] get = load(clients, seconds, read);
      double[] post = load(clients, seconds, create);
      add("GET /jobs/{id} with an API key, " + clients + " clients", get[0], "requests/s", "GET /jobs/{id} without keys", getOpen);
      add("POST /jobs with an API key, " + clients + " clients", post[0], "requests/s", "POST /jobs without keys", postOpen);
    }
  }

  interface Call {
    int call() throws Exception;
  }

  /**
   * What a client writing PostgreSQL itself would do to create a job, one commit each: the same
   * job row (all its indexes), its CREATED event and the signal live views listen for, in one
   * statement per job, as POST /jobs writes them: a durable create with no group commit, and no
   * HTTP, JSON or check in front of it.
   */
  private static final class DirectCreates implements AutoCloseable {
    private static final String CREATE = "with job_row as (insert into job (id, kind, params, checkpoint_every_iterations,"
        + " status, total, max_attempts, tenant, created_at, updated_at) values (?, 'counter', '{\"iterations\":10}', 5,"
        + " 'QUEUED', 10, 3, 'default', clock_timestamp(), clock_timestamp()) returning id),"
        + " stored as (insert into job_event (job_id, type, detail) select id, 'CREATED', 'by anonymous' from job_row"
        + " returning id, job_id, type, at, detail)"
        + " select count(pg_notify('" + io.checkpointd.persistence.EventStore.CHANNEL + "', json_build_object('id', id,"
        + " 'job', job_id, 'type', type, 'at', at, 'detail', detail)::text)) from stored";

    private record Writer(Connection connection, PreparedStatement statement) {}

    // a connection per client, lent for each create: a window's client threads are new each window
    private final java.util.concurrent.BlockingQueue<Writer> writers = new java.util.concurrent.LinkedBlockingQueue<>();

    static DirectCreates open(Database db, int connections) throws Exception {
      DirectCreates direct = new DirectCreates();
      for (int i = 0; i < connections; i++) {
        Connection c = db.connect();
        direct.writers.add(new Writer(c, c.prepareStatement(CREATE)));
      }
      return direct;
    }

    int create() throws Exception {
      Writer w = writers.take();
      try {
        w.statement().setObject(1, UUID.randomUUID());
        try (java.sql.ResultSet rs = w.statement().executeQuery()) { // autocommit: one durable commit each
          return rs.next() && rs.getLong(1) == 1 ? 201 : 500;
        }
      } finally {
        writers.add(w);
      }
    }

    @Override
    public void close() throws java.sql.SQLException {
      for (Writer w : writers) {
        w.connection().close();
      }
    }
  }

  /**
   * Runs the calls in turn until the service's JIT compilers are quiet (at most 8 rounds), so that
   * none of them is measured while the compiler still competes for the 2 cores: each would be
   * measured at a different stage of the warm-up otherwise, and the first measured pays most.
   */
  private static void warmUp(Service service, int clients, double seconds, List<Call> calls) throws Exception {
    for (int round = 0; round < 8; round++) {
      long before = service.compilerCpuMillis();
      for (Call call : calls) {
        load(clients, seconds / 4, call);
      }
      long compiling = service.compilerCpuMillis() - before;
      if (before < 0 || compiling < 0.05 * 1000 * calls.size() * seconds / 4) {
        return;
      }
    }
  }

  /** Requests per second and p99 latency (ms) of {@code clients} concurrent loops. */
  private static double[] load(int clients, double seconds, Call call) throws Exception {
    Window w = window(clients, seconds, call);
    return new double[] {w.latencies().length / w.seconds(), percentile(w.latencies(), 99)};
  }

  /**
   * The same figures for each call, measured in turn in {@code rounds} short windows instead of
   * one long window each: a drift in a shared machine's load then falls on every call alike,
   * rather than on whichever was measured when it came.
   */
  private static double[][] interleaved(int clients, double seconds, int rounds, List<Call> calls) throws Exception {
    double[] elapsed = new double[calls.size()];
    List<List<Double>> latencies = new ArrayList<>();
    calls.forEach(c -> latencies.add(new ArrayList<>()));
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < calls.size(); i++) {
        Window w = window(clients, seconds / rounds, calls.get(i));
        elapsed[i] += w.seconds();
        for (double ms : w.latencies()) {
          latencies.get(i).add(ms);
        }
      }
    }
    double[][] figures = new double[calls.size()][];
    for (int i = 0; i < calls.size(); i++) {
      double[] sorted = latencies.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      figures[i] = new double[] {sorted.length / elapsed[i], percentile(sorted, 99)};
    }
    return figures;
  }

  /** What one window of {@code clients} concurrent loops did: its length and each call's latency (ms), sorted. */
  private record Window(double seconds, double[] latencies) {}

  private static Window window(int clients, double seconds, Call call) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<List<Double>>> all = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      all.add(pool.submit(() -> {
        List<Double> ms = new ArrayList<>();
        while (!stop.get()) {
          long t0 = System.nanoTime();
          int status = call.call();
          if (status >= 400) {
            throw new IllegalStateException("HTTP " + status);
          }
          ms.add((System.nanoTime() - t0) / 1e6);
        }
        return ms;
      }));
    }
    long t0 = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    List<Double> latencies = new ArrayList<>();
    for (Future<List<Double>> f : all) {
      latencies.addAll(f.get());
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    return new Window(elapsed, latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray());
  }

  // ---- 7. external workers over HTTP ------------------------------------------------------------

  private static final String EXTERNAL_KIND = "{\"description\":\"benchmark worker\",\"parameters\":[]}";

  /**
   * Durable checkpoints per second from {@code workers} concurrent HTTP workers (a Java load
   * generator: each worker claims a job, then checkpoints it as fast as the answers come), with
   * group commit and with one commit per checkpoint through the same HTTP path, beside the plain
   * JDBC ceiling of one commit per checkpoint.
   */
  private void externalCheckpoints(int workers) throws Exception {
    double window = quick ? 3 : 8;
    double grouped = httpCheckpointRate(workers, window, "1000");
    double ungrouped = httpCheckpointRate(workers, window, "1");
    double sameWrite = plainJdbcRate(20, window, Ceiling.SAME_WRITE);
    String name = "HTTP worker checkpoints/s, " + workers + " workers";
    add(name + ", group commit", grouped, "checkpoints/s", "plain JDBC, same write, 1 commit each, 20 connections", sameWrite);
    add(name + ", group commit", grouped, "checkpoints/s", "same HTTP path, group commit off (1 commit each)", ungrouped);
  }

  private double httpCheckpointRate(int workers, double seconds, String maxBatch) throws Exception {
    reset();
    List<String> props = new ArrayList<>(List.of("checkpointd.checkpoints.max-batch=" + maxBatch));
    props.addAll(extraProps);
    try (Service service = start("ext-batch-" + maxBatch, props)) {
      service.put("/kinds/bench-ext", EXTERNAL_KIND);
      db.execute("insert into job (id, kind, params, checkpoint_every_iterations, status, total)"
          + " select gen_random_uuid(), 'bench-ext', '{}', 1, 'QUEUED', 0 from generate_series(1, " + workers + ")");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong written = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      List<Future<?>> loops = new ArrayList<>();
      String state = "{\"count\":0,\"payload\":\"" + "x".repeat(180) + "\"}";
      for (int i = 0; i < workers; i++) {
        String worker = "bench-" + i;
        loops.add(pool.submit(() -> {
          String claim = service.post("/workers/claim", "{\"worker\":\"" + worker + "\",\"kinds\":[\"bench-ext\"],"
              + "\"waitSeconds\":10,\"leaseTtlSeconds\":60}").body();
          String id = idOf(claim);
          int at = claim.indexOf("\"token\":\"");
          String token = claim.substring(at + 9, claim.indexOf('"', at + 9));
          for (long seq = 1; !stop.get(); seq++) {
            int status = service.post("/jobs/" + id + "/checkpoints", "{\"lease\":\"" + token + "\",\"seq\":" + seq
                + ",\"iteration\":" + seq + ",\"state\":" + state + "}").statusCode();
            if (status != 201) {
              throw new IllegalStateException("checkpoint answered " + status);
            }
            written.incrementAndGet();
          }
          return null;
        }));
      }
      service.awaitCompiled(quick ? 1500 : 3000, 30_000); // the claims made, the checkpoint path compiled
      return rateOf(written, 0, seconds, stop, loops, pool);
    }
  }

  /** How fast {@code counter} grows over {@code seconds} after a warm-up; then stops the loops. */
  private static double rateOf(AtomicLong counter, long warmupMillis, double seconds, AtomicBoolean stop,
      List<Future<?>> loops, ExecutorService pool) throws Exception {
    Thread.sleep(warmupMillis);
    long before = counter.get();
    long t0 = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    double rate = (counter.get() - before) / ((System.nanoTime() - t0) / 1e9);
    stop.set(true);
    for (Future<?> f : loops) {
      f.get();
    }
    pool.shutdown();
    return rate;
  }

  /** From POST /jobs to a waiting worker holding the job, on an idle service. */
  private void claimLatency() throws Exception {
    reset();
    try (Service service = start("claim", List.of())) {
      service.put("/kinds/bench-ext", EXTERNAL_KIND);
      int samples = quick ? 15 : 40;
      // idle, not cold: the first rounds compile the path and open the pools' connections
      int warmup = quick ? 5 : 20;
      double[] ms = new double[samples];
      ExecutorService waiter = Executors.newSingleThreadExecutor();
      for (int i = -warmup; i < samples; i++) {
        Future<String> claim = waiter.submit(() -> service.post("/workers/claim",
            "{\"worker\":\"latency\",\"kinds\":[\"bench-ext\"],\"waitSeconds\":20}").body());
        Thread.sleep(300); // the worker is waiting
        long t0 = System.nanoTime();
        service.post("/jobs", "{\"kind\":\"bench-ext\"}");
        claim.get(30, TimeUnit.SECONDS);
        if (i >= 0) {
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      waiter.shutdown();
      double[] health = latencies(service, quick ? 50 : 200);
      Arrays.sort(ms);
      add("POST /jobs to a waiting HTTP worker holding it, p50", percentile(ms, 50), "ms",
          "GET /q/health/live round trip, p50", health[0]);
    }
  }

  private static double[] latencies(Service service, int n) throws Exception {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      service.get("/q/health/live");
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return new double[] {percentile(ms, 50)};
  }

  // ---- 6. memory ----------------------------------------------------------------------------------

  private void memory(int jobs) throws Exception {
    reset();
    try (Service service = start("memory", List.of("checkpointd.workers=" + jobs))) {
      Thread.sleep(2000);
      long[] idle = service.rssKibAndThreads();
      // a step every second, a checkpoint every 10: jobs that are alive but mostly waiting
      insertCounterJobs(jobs, 1_000_000_000L, 1000, 10);
      awaitRunning(jobs, 300);
      Thread.sleep(5000);
      long[] busy = service.rssKibAndThreads();
      add("memory with " + jobs + " active jobs (RSS)", busy[0] / 1024.0, "MiB", "idle instance (RSS)", idle[0] / 1024.0);
      add("threads with " + jobs + " active jobs", busy[1], "threads", "idle instance", (double) idle[1]);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private Service start(String name, List<String> props) throws Exception {
    return Service.start(work.resolve("life-" + (++lives)), db, name, props);
  }

  private void reset() throws Exception {
    try {
      // keys too: a stored key makes every later service require keys
      db.execute("truncate job, api_key cascade");
    } catch (java.sql.SQLException noSchemaYet) {
      // the first service creates it
    }
  }

  /**
   * Queues jobs straight in the database: setting up 10,000 jobs is not what is measured. With the
   * milestones a job created over the API gets by default (every 100th checkpoint, at most 10), so
   * the figures include keeping them.
   */
  private void insertCounterJobs(int n, long iterations, long delayMs, int every) throws Exception {
    db.execute("insert into job (id, kind, params, checkpoint_every_iterations, status, total,"
        + " checkpoint_milestone_every, checkpoint_milestones)"
        + " select gen_random_uuid(), 'counter', '{\"iterations\":" + iterations + ",\"stateBytes\":200,\"delayMs\":" + delayMs
        + "}', " + every + ", 'QUEUED', " + iterations + ", 100, 10 from generate_series(1, " + n + ")");
    wakeClaims();
  }

  /** What a stored CREATED event tells every instance: look for queued work now. */
  private void wakeClaims() throws Exception {
    db.execute("select pg_notify('checkpointd_events', json_build_object('id', 0, 'job', gen_random_uuid(),"
        + " 'type', 'CREATED', 'at', now())::text)");
  }

  private void awaitRunning(int n, int timeoutSeconds) throws Exception {
    awaitSql("select count(*) from job where status = 'RUNNING'", n, timeoutSeconds);
  }

  private void awaitSql(String sql, long expected, int timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (db.queryLong(sql) < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + expected + ": " + sql);
      }
      Thread.sleep(20);
    }
  }

  private static String idOf(String json) {
    int at = json.indexOf("\"id\":\"");
    return json.substring(at + 6, json.indexOf('"', at + 6));
  }

  private static double percentile(double[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private void add(String name, double value, String unit, String baselineName, Double baseline) {
    Double ratio = baseline == null || baseline == 0 ? null : value / baseline;
    Result r = new Result(name, value, unit, baselineName, baseline, ratio);
    results.add(r);
    System.out.printf(Locale.ROOT, "  %-52s %12.1f %-14s | %-50s %10.1f | x%.2f%n",
        name, value, unit, baselineName, baseline, ratio == null ? Double.NaN : ratio);
  }

  private void report(long started) throws Exception {
    String pg = db.queryString("show server_version");
    int cores = Runtime.getRuntime().availableProcessors();
    double minutes = (System.nanoTime() - started) / 60e9;
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "checkpointd benchmarks%s: %d cores, PostgreSQL %s, %.1f min%n%n",
        quick ? " (--quick)" : "", cores, pg, minutes));
    table.append("| figure | value | baseline (same run) | baseline value | ratio |\n|---|---:|---|---:|---:|\n");
    for (Result r : results) {
      table.append(String.format(Locale.ROOT, "| %s | %.1f %s | %s | %.1f | %.2f |%n",
          r.name(), r.value(), r.unit(), r.baselineName(), r.baseline(), r.ratio() == null ? Double.NaN : r.ratio()));
    }
    System.out.println();
    System.out.println(table);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("quick", quick);
    json.put("cores", cores);
    json.put("postgresql", pg);
    json.put("minutes", minutes);
    json.put("results", results);
    Path out = Path.of("target", "bench");
    Files.createDirectories(out);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), json);
    Files.writeString(out.resolve("results.md"), table);
    System.out.println("written to target/bench/results.json and target/bench/results.md");
  }

  private static void deleteRecursively(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
