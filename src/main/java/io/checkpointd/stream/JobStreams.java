package io.checkpointd.stream;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.config.InstanceId;
import io.checkpointd.engine.lease.HeldLeases;
import io.checkpointd.event.JobEventBus;
import io.checkpointd.job.JobService;
import io.checkpointd.model.JobEvent;
import io.checkpointd.model.JobEventType;
import io.checkpointd.model.JobSnapshot;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The live streams of job events: one hub per instance between the {@link JobEventBus} and every
 * connected client.
 *
 * <p>Why it costs the engine nothing: the bus's publishers only hand events over. A status change
 * (a stored event) goes into the hub's queue; a progress or checkpoint event replaces the previous
 * one of its job in a map ({@link LatestProgress}: one map write, however many clients; with none
 * connected, not even that). The hub's own thread does the rest: reads the job, sends progress a
 * few times a second to the clients that watch it ({@link ProgressFanOut}), and hands items to each
 * client's bounded queue ({@link StreamClient}), so one slow client slows nobody. One thread also
 * keeps each client's items in order, replay before live.
 *
 * <p>Across instances: stored events reach every instance (NOTIFY); the progress of jobs running
 * elsewhere is polled while someone watches ({@link RemoteProgress}).
 */
@ApplicationScoped
public class JobStreams {

  private static final Logger LOG = Logger.getLogger(JobStreams.class);
  // How often progress is sent: a few times a second to a job's own stream, what a person watching
  // one bar can use; once a second for the rest of the jobs, whose progress goes to every
  // all-jobs client (a dashboard) and grows with the number of jobs running.
  private static final long PROGRESS_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  private static final long ALL_PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(1);
  // At most this many progress entries a second to all-jobs clients: with more jobs running, each
  // job's progress comes less often, so that watching costs the engine the same at any scale.
  static final int ALL_PROGRESS_PER_SECOND = 5000;
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);
  // Stored events replayed after a reconnect, at most: older ones are in GET /jobs/{id}/events.
  static final int REPLAY_LIMIT = 1000;
  private static final int TASKS = 10_000;

  private final JobEventBus bus;
  private final JobService jobs;
  private final RemoteProgress remote;
  private final ProgressFanOut fanOut;
  private final int clientQueue;
  private final long pollNanos;
  private final List<StreamClient> clients = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>(TASKS);
  private final LatestProgress latest = new LatestProgress();
  private volatile boolean watched;
  private volatile boolean running;
  private Thread thread;

  JobStreams(JobEventBus bus, JobService jobs, HeldLeases held, InstanceId instance, CheckpointdConfig config) {
    this.bus = bus;
    this.jobs = jobs;
    this.remote = new RemoteProgress(jobs, held, instance);
    this.fanOut = new ProgressFanOut(jobs);
    this.clientQueue = config.streams().clientQueue();
    this.pollNanos = config.streams().pollInterval().toNanos();
  }

  void onStart(@Observes StartupEvent event) {
    bus.subscribe(this::onJobEvent);
    running = true;
    thread = new Thread(this::loop, "checkpointd-streams");
    thread.setDaemon(true);
    thread.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
    clients.forEach(StreamClient::close);
  }

  /**
   * Opens a stream: first the stored events after {@code lastEventId} (for one job without it, its
   * whole kept history), then live. A stream of one job ends after the job does.
   */
  public void open(StreamFilter filter, StreamSink sink, Optional<Long> lastEventId) {
    StreamClient client = new StreamClient(filter, sink, clientQueue);
    watched = true;
    if (!tasks.offer(() -> replayThenWatch(client, lastEventId))) {
      client.close();
    }
  }

  // ---- on the publishers' threads: hand over, never wait -------------------------------

  private void onJobEvent(JobEvent event) {
    if (!watched) {
      return;
    }
    if (event.type() == JobEventType.PROGRESS || event.type() == JobEventType.CHECKPOINTED) {
      latest.put(event);
    } else if (!tasks.offer(() -> deliverStored(event))) {
      LOG.warnf("Live streams are %d events behind: %s of job %s not streamed (it is in the history)",
          TASKS, event.type(), event.jobId());
    }
  }

  // ---- on the hub's thread -----------------------------------------------------------------

  private void loop() {
    long nextProgress = System.nanoTime();
    long nextAllProgress = System.nanoTime();
    long nextPoll = System.nanoTime();
    while (running) {
      try {
        Runnable task = tasks.poll(Math.max(0, nextProgress - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (task != null) {
          task.run();
        }
        long now = System.nanoTime();
        if (now >= nextAllProgress) {
          int sent = flushProgress(null);
          nextAllProgress = now + Math.max(ALL_PROGRESS_NANOS, sent * (TimeUnit.SECONDS.toNanos(1) / ALL_PROGRESS_PER_SECOND));
          nextProgress = now + PROGRESS_NANOS;
          tend();
        } else if (now >= nextProgress) {
          nextProgress = now + PROGRESS_NANOS;
          clients.forEach(c -> c.filter.job().ifPresent(this::flushProgress));
        }
        if (now >= nextPoll) {
          nextPoll = now + pollNanos;
          pollRemote();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the database may be away; the streams go on with what they get
        LOG.debugf("Live streams: %s", e.getMessage());
      }
    }
  }

  private void replayThenWatch(StreamClient client, Optional<Long> lastEventId) {
    watched = true; // before the replay's read: nothing published after it is missed
    Optional<UUID> job = client.filter.job();
    Map<UUID, Optional<JobSnapshot>> read = new HashMap<>();
    if (job.isPresent() || lastEventId.isPresent()) {
      for (JobEvent event : jobs.eventsAfter(lastEventId.orElse(0L), job, REPLAY_LIMIT)) {
        Optional<JobSnapshot> snapshot = read.computeIfAbsent(event.jobId(), jobs::find);
        if (matches(client, event.jobId(), snapshot.orElse(null))) {
          client.offer(new StreamItem.Stored(event, snapshot.orElse(null)));
        }
      }
    }
    if (job.isPresent()) {
      Optional<JobSnapshot> now = jobs.find(job.get());
      if (now.isEmpty() || now.get().status().isTerminal()) {
        client.closeWhenSent();
        return;
      }
    }
    clients.add(client);
  }

  private void deliverStored(JobEvent event) {
    if (clients.isEmpty()) {
      return;
    }
    JobSnapshot job = jobs.find(event.jobId()).orElse(null);
    if (job != null) {
      fanOut.remember(job);
    }
    // whatever progress of the job is pending goes first: a checkpoint before its job's end
    flushProgress(event.jobId());
    StreamItem.Stored item = new StreamItem.Stored(event, job);
    boolean ended = job == null || job.status().isTerminal();
    for (StreamClient client : clients) {
      if (matches(client, event.jobId(), job)) {
        client.offer(item);
        if (ended && client.filter.isOneJob()) {
          client.closeWhenSent();
          clients.remove(client);
        }
      }
    }
    if (ended) {
      fanOut.forget(event.jobId());
      remote.forget(event.jobId());
    }
  }

  private boolean matches(StreamClient client, UUID id, JobSnapshot job) {
    return client.filter.matches(
        id, job == null ? null : job.kind(), job == null ? null : job.tenant(), job == null ? null : job.status());
  }

  /** Sends pending progress: of one job, or ({@code only} null) of all; how many entries. */
  private int flushProgress(UUID only) {
    List<JobEvent> pending = only == null ? latest.takeAll() : latest.take(only);
    if (pending.isEmpty() || clients.isEmpty()) {
      return 0;
    }
    pending.sort(Comparator.comparing(JobEvent::at));
    fanOut.send(clients, pending.stream().map(e -> new StreamItem.Progress.Entry(e, null)).toList());
    return pending.size();
  }

  /** Progress of watched jobs that run on other instances. */
  private void pollRemote() {
    if (clients.isEmpty()) {
      return;
    }
    Set<UUID> watchedJobs = new HashSet<>();
    clients.forEach(c -> c.filter.job().ifPresent(watchedJobs::add));
    List<StreamItem.Progress.Entry> entries =
        remote.poll(clients.stream().anyMatch(c -> !c.filter.isOneJob()), watchedJobs);
    entries.forEach(e -> fanOut.remember(e.job()));
    if (!entries.isEmpty()) {
      fanOut.send(clients, entries);
    }
  }

  /** Forgets clients that are gone; proves the connection alive to the others now and then. */
  private void tend() {
    for (StreamClient client : clients) {
      if (client.isClosed()) {
        clients.remove(client);
      } else if (client.nanosSinceLastSend() > KEEP_ALIVE_NANOS) {
        client.offer(new StreamItem.KeepAlive());
      }
    }
    if (clients.isEmpty() && tasks.isEmpty()) {
      watched = false;
      latest.clear();
    }
  }

  /** Clients connected now. */
  public int clientCount() {
    return clients.size();
  }
}
