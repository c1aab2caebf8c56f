package io.checkpointd.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** How often a tenant's active jobs are counted in the database, and what is admitted on each count. */
class ActiveJobsCountTest {

  private final ActiveJobsCount count = new ActiveJobsCount();
  private final AtomicInteger counted = new AtomicInteger();
  private int inDatabase;
  private final IntSupplier database = () -> {
    counted.incrementAndGet();
    return inDatabase;
  };

  @Test
  void far_from_the_quota_a_count_serves_every_creation_for_a_second() {
    inDatabase = 10;
    for (int i = 0; i < 50; i++) {
      assertThat(count.admit(1000, i * 10, database)).isTrue();
    }
    assertThat(counted).hasValue(1);
    count.admit(1000, 1001, database);
    assertThat(counted).hasValue(2);
  }

  @Test
  void the_last_places_go_by_an_exact_count_and_no_more_are_admitted_than_the_quota() {
    inDatabase = 3;
    int admitted = 0;
    for (int i = 0; i < 10; i++) {
      if (count.admit(5, i, database)) {
        admitted++;
        inDatabase++; // what this creation stored
      }
    }
    assertThat(admitted).isEqualTo(2);
    assertThat(inDatabase).isEqualTo(5);
  }

  @Test
  void a_tenant_refused_at_its_quota_is_counted_again_at_most_once_per_interval_not_at_every_refusal() {
    inDatabase = 5;
    for (long now = 0; now < 1000; now++) { // a request every millisecond for a second
      assertThat(count.admit(5, now, database)).isFalse();
    }
    assertThat(counted.get()).isLessThanOrEqualTo((int) (1000 / ActiveJobsCount.REFUSED_FRESH_MILLIS) + 1);
  }

  @Test
  void a_tenant_at_its_quota_is_admitted_within_the_interval_of_a_job_ending() {
    inDatabase = 5;
    assertThat(count.admit(5, 0, database)).isFalse();
    inDatabase = 4; // one of its jobs ended
    assertThat(count.admit(5, ActiveJobsCount.REFUSED_FRESH_MILLIS + 1, database)).isTrue();
    inDatabase++; // what that creation stored
    assertThat(count.admit(5, ActiveJobsCount.REFUSED_FRESH_MILLIS + 2, database)).isFalse();
  }
}
