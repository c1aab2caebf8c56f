package io.checkpointd.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What a creation relies on when it shares a statement with others' (see {@code JobStore.create}). */
class GroupCommitTest {

  @Test
  void requests_that_arrive_while_a_batch_is_written_share_the_next_one() throws Exception {
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    CountDownLatch firstWriting = new CountDownLatch(1);
    CountDownLatch othersQueued = new CountDownLatch(1);
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(100, batch -> {
      batchSizes.add(batch.size());
      firstWriting.countDown();
      await(othersQueued);
      return batch.stream().map(i -> i * 10).toList();
    });
    ExecutorService threads = Executors.newFixedThreadPool(9);
    try {
      Future<Integer> first = threads.submit(() -> commit.submit(0));
      firstWriting.await(5, TimeUnit.SECONDS);
      List<Future<Integer>> others = new ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        int n = i;
        others.add(threads.submit(() -> commit.submit(n)));
      }
      Thread.sleep(200); // the eight are queued behind the first batch
      othersQueued.countDown();
      assertThat(first.get(5, TimeUnit.SECONDS)).isZero();
      for (int i = 1; i <= 8; i++) {
        assertThat(others.get(i - 1).get(5, TimeUnit.SECONDS)).isEqualTo(i * 10);
      }
      assertThat(batchSizes).containsExactly(1, 8);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void a_request_the_batch_cannot_write_fails_alone() throws Exception {
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(100, batch -> {
      if (batch.contains(13)) {
        throw new IllegalArgumentException("13 is refused");
      }
      return batch;
    });
    ExecutorService threads = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        int n = i;
        calls.add(threads.submit(() -> commit.submit(n)));
      }
      for (int i = 0; i < 32; i++) {
        Future<Integer> call = calls.get(i);
        if (i == 13) {
          assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("13 is refused");
        } else {
          assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo(i);
        }
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void an_error_while_writing_strands_no_request() throws Exception {
    AtomicBoolean failOnce = new AtomicBoolean(true);
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(100, batch -> {
      if (failOnce.getAndSet(false)) {
        throw new OutOfMemoryError("simulated");
      }
      return batch;
    });
    assertThatThrownBy(() -> commit.submit(1)).isInstanceOf(OutOfMemoryError.class);
    assertThat(commit.submit(2)).isEqualTo(2); // the lock was let go and the queue is empty
  }

  @Test
  void under_contention_every_request_is_written_once_and_every_caller_returns() throws Exception {
    java.util.concurrent.ConcurrentHashMap<Integer, Integer> written = new java.util.concurrent.ConcurrentHashMap<>();
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(16, batch -> {
      batch.forEach(i -> written.merge(i, 1, Integer::sum));
      if (batch.size() > 1 && java.util.concurrent.ThreadLocalRandom.current().nextInt(8) == 0) {
        Thread.yield(); // a slower write now and then, so callers pile up behind it
      }
      return batch.stream().map(i -> -i).toList();
    });
    int callers = 32;
    int each = 500;
    ExecutorService threads = Executors.newFixedThreadPool(callers);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        int first = t * each;
        runs.add(threads.submit(() -> {
          for (int i = first; i < first + each; i++) {
            if (commit.submit(i) != -i) {
              throw new AssertionError("request " + i + " got another's result");
            }
          }
          return each;
        }));
      }
      for (Future<Integer> run : runs) {
        // a caller never woken would hang here: a lost wake-up fails the test instead of passing slowly
        assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(each);
      }
      assertThat(written).hasSize(callers * each);
      assertThat(written.values()).containsOnly(1);
    } finally {
      threads.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
