package io.checkpointd.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Polls jobs' checkpoint lists while they run and remembers every (seq, iteration) pair it saw, to
 * show afterwards that no job's checkpoint sequence ever repeated or went backwards: what a stale
 * owner overwriting a newer checkpoint would leave behind.
 */
public final class CheckpointWatcher implements AutoCloseable {

  private final Map<String, Map<Integer, Integer>> seen = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public CheckpointWatcher(List<String> jobIds, Supplier<ServiceProcess> anyLiveInstance) {
    thread = new Thread(() -> {
      while (running.get()) {
        for (String id : jobIds) {
          try {
            List<Map<String, Integer>> checkpoints = anyLiveInstance.get().api().get("/jobs/" + id + "/checkpoints")
                .then().extract().jsonPath().getList("$");
            Map<Integer, Integer> byseq = seen.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
            for (Map<String, Integer> c : checkpoints) {
              Integer before = byseq.putIfAbsent(c.get("seq"), c.get("iteration"));
              if (before != null && !before.equals(c.get("iteration"))) {
                byseq.put(-c.get("seq"), -1); // a seq reused for another iteration: recorded as a violation
              }
            }
          } catch (Exception instanceGoingDown) {
            // the next round asks a live instance
          }
        }
      }
    }, "checkpoint-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** Every job's observed checkpoints: unique seqs, and iterations strictly increasing with seq. */
  public void assertSequencesOnlyMovedForward() {
    assertThat(seen).as("checkpoints were observed").isNotEmpty();
    seen.forEach((job, bySeq) -> {
      assertThat(bySeq.keySet()).as("job %s reused a checkpoint seq", job).allMatch(seq -> seq > 0);
      List<Integer> seqs = bySeq.keySet().stream().sorted().toList();
      for (int i = 1; i < seqs.size(); i++) {
        assertThat(bySeq.get(seqs.get(i)))
            .as("job %s: checkpoint %d must be past checkpoint %d", job, seqs.get(i), seqs.get(i - 1))
            .isGreaterThan(bySeq.get(seqs.get(i - 1)));
      }
    });
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }
}
