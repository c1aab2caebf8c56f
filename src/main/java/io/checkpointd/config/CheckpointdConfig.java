package io.checkpointd.config;

import io.checkpointd.model.JobSnapshot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything an operator can tune, under {@code checkpointd.*} (env {@code CHECKPOINTD_*}). */
@ConfigMapping(prefix = "checkpointd")
public interface CheckpointdConfig {

  /** This instance's identity in job leases; defaults to the host name. */
  Optional<String> instanceId();

  /** How many jobs this instance runs at once; the rest wait as QUEUED. */
  @WithDefault("8")
  int workers();

  /** Threads that execute job steps; jobs waiting between steps hold none. */
  @WithDefault("2")
  int stepThreads();

  /** How often an idle executor looks for queued jobs it has not been told about. */
  @WithDefault("1s")
  Duration pollInterval();

  /** How long graceful shutdown waits for running jobs to checkpoint and release their leases. */
  @WithDefault("20s")
  Duration shutdownGrace();

  /** Largest request body accepted, in bytes; larger ones get a 413 problem. */
  @WithDefault("1048576")
  long maxBodyBytes();

  Engine engine();

  Api api();

  Jobs jobs();

  interface Jobs {
    /**
     * Longest a job may run, counted from its first start (pauses and retries included); past it
     * its runner FAILS it. Hard cap 30 days.
     */
    @WithDefault("24h")
    Duration maxRuntime();
  }

  interface Api {
    /**
     * Longest a statement of an API request may run (PostgreSQL {@code statement_timeout} on the
     * API pool's sessions; hard cap 5 min). A request whose statement is cancelled gets a 503.
     */
    @WithDefault("10s")
    Duration statementTimeout();

    /**
     * Largest state, in bytes of JSON, that {@code GET /jobs/{id}/checkpoints/latest} renders
     * (hard cap 64 MiB); a larger one answers a 413 problem pointing at the checkpoint metadata.
     */
    @WithDefault("4194304")
    long maxStateBytesShown();
  }

  Lease lease();

  Retry retry();

  Checkpoints checkpoints();

  ExternalWorkers externalWorkers();

  interface ExternalWorkers {
    /** Longest a claim waits for a job (its {@code waitSeconds} is capped here; hard cap 300 s). */
    @WithDefault("60s")
    Duration maxWait();

    /** Shortest lease TTL a worker may ask for; shorter asks are refused. */
    @WithDefault("2s")
    Duration minLeaseTtl();

    /** Longest lease TTL a worker may ask for (hard cap 1 h): a dead worker's job waits this long. */
    @WithDefault("10m")
    Duration maxLeaseTtl();
  }

  Kinds kinds();

  Retention retention();

  /** Who may call the API (see the README's Security section). */
  Auth auth();

  /** What one tenant may use: defaults, and overrides per tenant. */
  Quotas quotas();

  Liveness liveness();

  Streams streams();

  interface Streams {
    /**
     * Items a live-stream client may fall behind by; past it, its oldest progress is dropped, and a
     * client that falls this many status changes behind is disconnected (it reconnects with
     * Last-Event-ID).
     */
    @WithDefault("256")
    int clientQueue();

    /**
     * How often a stream with clients reads the progress of watched jobs that run on other
     * instances (their progress events stay where they run).
     */
    @WithDefault("1s")
    Duration pollInterval();
  }

  interface Engine {
    /** Whether this instance runs jobs; false makes it serve the API only. */
    @WithDefault("true")
    boolean enabled();
  }

  interface Lease {
    /** How often this instance renews the leases of all the jobs it runs (one statement per beat). */
    @WithDefault("3s")
    Duration heartbeatInterval();

    /** How long a lease lasts without renewal; after that another instance may take the job. */
    @WithDefault("12s")
    Duration ttl();

    /**
     * How often this instance looks for expired leases: a frozen or partitioned owner's jobs move
     * within this long after their TTL. One indexed query on the running jobs.
     */
    @WithDefault("1s")
    Duration reapInterval();

    /**
     * Recoveries in a row without a new checkpoint after which a job is FAILED rather than
     * requeued: a job that keeps killing its owners must not crash-loop the cluster.
     */
    @WithDefault("5")
    int maxRecoveriesWithoutProgress();
  }

  /**
   * Session liveness: each instance holds an advisory lock on a dedicated database session, which
   * PostgreSQL releases when the process dies; survivors watch for that and take the dead
   * instance's jobs back at once instead of after the lease TTL. A frozen or partitioned process
   * keeps its session, so for it the TTL still decides.
   */
  interface Liveness {
    /** Whether this instance holds a liveness session and watches the others'; false leaves takeover to the lease TTL. */
    @WithDefault("true")
    boolean enabled();

    /** How often this instance looks for instances whose session ended (one cheap query on its own session). */
    @WithDefault("250ms")
    Duration watchInterval();

    /**
     * A direct JDBC URL for the liveness session, when {@code quarkus.datasource.jdbc.url} goes
     * through a pooler in transaction mode (PgBouncer), which cannot keep a session lock; same
     * credentials as the datasource. Defaults to the datasource URL.
     */
    Optional<String> jdbcUrl();

    /**
     * How soon PostgreSQL ends the session of a host that vanished without closing its socket
     * (TCP keepalives and {@code tcp_user_timeout} on the session), and how long the session's own
     * statements may take. A starting instance also waits this long for the session of its
     * previous life to end before it refuses to start.
     */
    @WithDefault("10s")
    Duration networkTimeout();
  }

  interface Retry {
    /** Attempts a job gets before it is FAILED, unless its request says otherwise. */
    @WithDefault("3")
    int maxAttempts();

    /** Wait before the first retry; doubled for each further one. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** Longest wait between retries. */
    @WithDefault("1m")
    Duration maxBackoff();
  }

  interface Checkpoints {
    /** How many checkpoints to keep per job: a ring of slots, each new checkpoint overwrites the oldest. */
    @WithDefault("3")
    int keep();

    /**
     * Every how many checkpoints a job keeps one as a milestone, when its policy does not say
     * (0: none). Milestones are a sparse history from the job's start, for inspecting and forking.
     */
    @WithDefault("100")
    int milestoneEvery();

    /** How many milestones a job keeps at most, when its policy does not say (hard cap 100). */
    @WithDefault("10")
    int milestones();

    /**
     * Most bytes (stored, after compression) of milestones per job (hard cap 1 GiB): past it, as past
     * the count, every other milestone is dropped and the spacing doubles. A state larger than this
     * is never a milestone.
     */
    @WithDefault("8388608")
    long milestoneBytes();

    /** The milestones of a job whose policy names none, within the hard caps. */
    default JobSnapshot.Milestones milestoneDefaults() {
      int every = Math.max(0, milestoneEvery());
      int count = Math.min(Math.max(0, milestones()), JobSnapshot.Milestones.MAX_COUNT);
      return every == 0 || count == 0 ? JobSnapshot.Milestones.NONE : new JobSnapshot.Milestones(every, count);
    }

    /** Largest checkpoint stored, in bytes after compression; a job whose state outgrows it FAILS. */
    @WithDefault("16777216")
    long maxBytes();

    /**
     * Most checkpoints committed in one transaction (group commit); 1 turns group commit off, one
     * commit per checkpoint, which the benchmarks use as the baseline.
     */
    @WithDefault("1000")
    int maxBatch();

    /**
     * The longest a checkpoint batch waits for more checkpoints to join it while they keep coming
     * (a short gap in their arrival ends it sooner). None by default: a batch is then what queued
     * while the writers committed the previous ones, which grows with the load by itself, and
     * waiting on top of that measured slower at 100 and 1,000 jobs and no faster at 10,000.
     */
    @WithDefault("0ms")
    Duration linger();

    /** Threads committing checkpoint batches, each on its own connection. */
    @WithDefault("2")
    int writers();

    /**
     * The shortest time between two checkpoints of one in-process job, whatever its policy asks
     * (hard cap 1 min): a policy of every iteration on a nanosecond step would otherwise be a
     * commit per step. Stops (pause, cancel, shutdown) checkpoint at once regardless.
     */
    @WithDefault("100ms")
    Duration minInterval();

    /** States larger than this many bytes of JSON are stored gzipped. */
    @WithDefault("65536")
    int compressAbove();

    /**
     * Largest state (bytes of JSON) that {@code GET /jobs/{id}/checkpoints/{seq}} renders or diffs;
     * larger ones are refused with a 413 problem instead of being parsed into a response (hard cap
     * 16 MiB: a diff holds two states as trees at once).
     */
    @WithDefault("1048576")
    int maxRenderBytes();
  }

  interface Quotas {

    /** Hard cap of the count quotas (active jobs, creations per minute). */
    int MAX = 10_000_000;

    /** Hard cap of the stored-bytes quota: 1 PiB. */
    long MAX_STORED_BYTES = 1L << 50;

    /** Most QUEUED and RUNNING jobs a tenant may have; a creation beyond is a 429 problem. */
    @WithDefault("100000")
    int activeJobs();

    /** Most jobs a tenant may create (or fork) per minute on one instance; beyond, a 429 with Retry-After. */
    @WithDefault("60000")
    int creationsPerMinute();

    /**
     * Largest checkpoint state (bytes stored, after compression) a tenant's job may save; unset:
     * {@code checkpointd.checkpoints.max-bytes}, which also caps it.
     */
    Optional<Long> stateBytes();

    /**
     * Most bytes of checkpoints a tenant may store (all its jobs' retained, set-aside and milestone
     * checkpoints); while it stores more, its creations and forks are a 429. Hard cap 1 PiB.
     */
    @WithDefault("107374182400")
    long storedBytes();

    /** Per tenant, by name: {@code checkpointd.quotas.tenants.acme.active-jobs=50}. */
    Map<String, Tenant> tenants();

    interface Tenant {
      Optional<Integer> activeJobs();

      Optional<Integer> creationsPerMinute();

      Optional<Long> stateBytes();

      Optional<Long> storedBytes();
    }

    /** The tenant's active-jobs quota, within the hard cap. */
    default int activeJobs(String tenant) {
      return capped(Optional.ofNullable(tenants().get(tenant)).flatMap(Tenant::activeJobs).orElse(activeJobs()));
    }

    /** The tenant's creations-per-minute quota, within the hard cap. */
    default int creationsPerMinute(String tenant) {
      return capped(Optional.ofNullable(tenants().get(tenant)).flatMap(Tenant::creationsPerMinute).orElse(creationsPerMinute()));
    }

    /** The tenant's state-bytes quota, at most {@code cap} (the global checkpoint cap). */
    default long stateBytes(String tenant, long cap) {
      Optional<Long> own = Optional.ofNullable(tenants().get(tenant)).flatMap(Tenant::stateBytes);
      return Math.min(Math.max(1, own.or(this::stateBytes).orElse(cap)), cap);
    }

    /** The smallest state-bytes quota of any tenant: a state within it is within every tenant's. */
    default long smallestStateBytes(long cap) {
      long smallest = Math.min(Math.max(1, stateBytes().orElse(cap)), cap);
      for (String tenant : tenants().keySet()) {
        smallest = Math.min(smallest, stateBytes(tenant, cap));
      }
      return smallest;
    }

    /** The tenant's stored-bytes quota, within the hard cap. */
    default long storedBytes(String tenant) {
      long value = Optional.ofNullable(tenants().get(tenant)).flatMap(Tenant::storedBytes).orElse(storedBytes());
      return Math.min(Math.max(1, value), MAX_STORED_BYTES);
    }

    private static int capped(int value) {
      return Math.min(Math.max(1, value), MAX);
    }
  }

  interface Auth {

    /** How requests are authenticated. */
    enum Mode {
      /** Keys required once an admin key is configured or a key exists; otherwise open, on loopback only. */
      AUTO,
      /** Keys always required. */
      KEYS,
      /** Open to anyone who reaches the port, on any address: on purpose, and logged. */
      NONE
    }

    @WithDefault("auto")
    Mode mode();

    /**
     * The first admin key ({@code CHECKPOINTD_ADMIN_KEY}), of the default tenant; at least 32
     * characters. With it, keys are required; it creates the others over the API.
     */
    Optional<String> adminKey();

    /**
     * A key for {@code /q/metrics} alone ({@code CHECKPOINTD_METRICS_KEY}), at least 32 characters,
     * so a scraper holds no API key. Unset, metrics are open; set, they need it or an admin key.
     */
    Optional<String> metricsKey();

    /**
     * JWTs of an organisation's identity provider, beside API keys. On when
     * {@code mp.jwt.verify.publickey.location} (a PEM or JWK set file, or a JWKS URL) and
     * {@code mp.jwt.verify.issuer} are set; roles come from the token's {@code groups}.
     */
    Jwt jwt();

    interface Jwt {
      /**
       * The claim that names the caller's tenant. A token without it is refused, unless it has the
       * admin role.
       */
      @WithDefault("tenant")
      String tenantClaim();
    }
  }

  interface Retention {
    /**
     * How long a finished job (SUCCEEDED, FAILED or CANCELLED) is kept, with its result, events and
     * checkpoints, after it finished; then it is deleted. {@code 0} keeps finished jobs forever.
     * At least 1 minute (a shorter one is raised to it), at most 3650 days.
     */
    @WithDefault("30d")
    Duration finishedJobs();

    /** Jobs deleted per statement (hard cap 10,000): small batches never hold many row locks. */
    @WithDefault("500")
    int batchSize();

    /** How often each instance looks for finished jobs past their retention. */
    @WithDefault("1m")
    Duration interval();
  }

  interface Kinds {
    /**
     * Whether the {@code counter} kind is offered: a benchmark helper whose states reach 64 MiB, so
     * off unless a benchmark or a test turns it on.
     */
    @WithDefault("false")
    boolean counterEnabled();
  }
}
