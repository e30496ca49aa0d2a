package dev.harp.observe;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficBudgetTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @Test
  void admitsABurstOfATenthOfTheBudgetThenOnePerInterval() {
    TrafficBudget budget = new TrafficBudget(1000, clock::get);
    assertThat(admitted(budget, 1_000)).isEqualTo(100);
    clock.addAndGet(999_999); // just short of one interval (1 ms)
    assertThat(budget.tryAcquire()).isFalse();
    clock.addAndGet(1);
    assertThat(budget.tryAcquire()).isTrue();
    assertThat(budget.tryAcquire()).isFalse();
  }

  @Test
  void overASecondOfSteadyOverloadAdmitsTheBudgetPlusOneBurst() {
    TrafficBudget budget = new TrafficBudget(1000, clock::get);
    int admitted = 0;
    // 100,000 offers spread evenly over one second: 100 times the budget.
    for (int i = 0; i < 100_000; i++) {
      clock.addAndGet(10_000);
      admitted += budget.tryAcquire() ? 1 : 0;
    }
    assertThat(admitted).isBetween(1000, 1100);
  }

  @Test
  void anIdleBucketDoesNotSaveUpBeyondOneBurst() {
    TrafficBudget budget = new TrafficBudget(100, clock::get);
    clock.addAndGet(60_000_000_000L);
    assertThat(admitted(budget, 1_000)).isEqualTo(10);
  }

  @Test
  void zeroPublishesNothing() {
    TrafficBudget budget = new TrafficBudget(0, clock::get);
    assertThat(admitted(budget, 100)).isZero();
    clock.addAndGet(10_000_000_000L);
    assertThat(budget.tryAcquire()).isFalse();
  }

  @Test
  void racingThreadsNeverOverspendTheBurst() throws InterruptedException {
    TrafficBudget budget = new TrafficBudget(10_000, clock::get); // burst 1000, clock frozen
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 50_000; i++) {
          if (budget.tryAcquire()) {
            admitted.incrementAndGet();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(admitted.get()).isEqualTo(1000);
  }

  private static int admitted(TrafficBudget budget, int offers) {
    int n = 0;
    for (int i = 0; i < offers; i++) {
      n += budget.tryAcquire() ? 1 : 0;
    }
    return n;
  }
}
