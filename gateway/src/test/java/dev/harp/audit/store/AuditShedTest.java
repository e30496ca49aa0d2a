package dev.harp.audit.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static dev.harp.audit.store.AuditFixtures.T0;
import static dev.harp.audit.store.AuditFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer that cannot keep up: the queue fills and further offers are refused at once, counted, and visible in
 * stats and meters. The writer is held inside the redaction of the first record by a latch (no sleeps).
 */
class AuditShedTest {

  @TempDir
  Path dir;

  @Test
  void aFullQueueShedsWithoutWaitingAndCountsEveryRecord() throws Exception {
    CountDownLatch writerHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    UnaryOperator<AuditRecord> holdFirst = r -> {
      if (r.path().equals("/0")) {
        writerHeld.countDown();
        awaitUninterruptibly(release);
      }
      return r;
    };
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AuditStoreSettings settings = AuditFixtures.settings(Clock.systemUTC()).withQueueCapacity(2)
        .withBatch(1, Duration.ZERO);
    try (SqliteAuditStore store = SqliteAuditStore.open(dir, settings, holdFirst, registry)) {
      assertThat(store.offer(record(T0, "/0", 200))).isTrue();
      assertThat(writerHeld.await(10, TimeUnit.SECONDS)).isTrue();

      assertThat(store.offer(record(T0 + 1, "/1", 200))).isTrue();
      assertThat(store.offer(record(T0 + 2, "/2", 200))).isTrue();
      assertThat(store.offer(record(T0 + 3, "/3", 200))).isFalse();
      assertThat(store.offer(record(T0 + 4, "/4", 200))).isFalse();

      assertThat(store.stats().shed()).isEqualTo(2);
      assertThat(store.stats().queueDepth()).isEqualTo(2);
      assertThat(registry.get("harp_audit_records_shed").functionCounter().count()).isEqualTo(2.0);
      assertThat(registry.get("harp_audit_queue_depth").gauge().value()).isEqualTo(2.0);

      release.countDown();
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
      AuditStats stats = store.stats();
      assertThat(stats.written()).isEqualTo(3);
      assertThat(stats.shed()).isEqualTo(2);
      assertThat(stats.queueDepth()).isZero();
      assertThat(store.head().size()).isEqualTo(3);
      assertThat(registry.get("harp_audit_records_written").functionCounter().count()).isEqualTo(3.0);
      assertThat(registry.get("harp_audit_log_size").gauge().value()).isEqualTo(3.0);
      assertThat(registry.get("harp_audit_commit_seconds").timer().count()).isEqualTo(3);
    } finally {
      release.countDown();
    }
    assertThat(registry.find("harp_audit_records_shed").meter()).as("meters leave with the store").isNull();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
