package dev.harp.audit.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer's sustained rate, not a regression test: run with {@code -Dharp.bench=true} (and
 * {@code -Dtest=AuditWriterThroughputBench}). One producer thread offers typical records (ten headers each way,
 * distinct 1 KiB bodies both ways) as fast as the queue takes them, with the default settings; after a warm-up, three
 * 10-second windows count committed records. Also reported: the writer thread's CPU per record and the database's
 * bytes per record.
 */
@EnabledIfSystemProperty(named = "harp.bench", matches = "true")
class AuditWriterThroughputBench {

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  @TempDir
  Path dir;

  @Test
  void sustainedRecordsPerSecond() throws Exception {
    try (SqliteAuditStore store = SqliteAuditStore.open(dir, AuditStoreSettings.DEFAULTS, UnaryOperator.identity())) {
      AtomicBoolean running = new AtomicBoolean(true);
      Thread producer = new Thread(() -> {
        long n = 0;
        while (running.get()) {
          AuditRecord r = AuditFixtures.typical(System.currentTimeMillis(), n);
          while (!store.offer(r) && running.get()) {
            LockSupport.parkNanos(100_000); // full: the writer is the bottleneck, which is what is measured
          }
          n++;
        }
      }, "bench-producer");
      producer.start();
      long writerId = writerThreadId();
      try {
        window(store, writerId, Duration.ofSeconds(10), "warm-up");
        for (int round = 1; round <= 3; round++) {
          window(store, writerId, Duration.ofSeconds(10), "round " + round);
        }
      } finally {
        running.set(false);
        producer.join();
      }
      store.flush(Duration.ofSeconds(30));
      long written = store.stats().written();
      System.out.printf("database: %d records, %.0f bytes/record (used pages), shed while saturated: %d%n", written,
          store.usedBytes() / (double) written, store.stats().shed());
      assertThat(store.stats().failed()).isZero();
    }
  }

  private static void window(SqliteAuditStore store, long writerId, Duration d, String label)
      throws InterruptedException {
    long w0 = store.stats().written();
    long cpu0 = CPU.getThreadCpuTime(writerId);
    long t0 = System.nanoTime();
    Thread.sleep(d.toMillis());
    long records = store.stats().written() - w0;
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuMicros = TimeUnit.NANOSECONDS.toMicros(CPU.getThreadCpuTime(writerId) - cpu0) / (double) records;
    System.out.printf("%s: %.0f records/s, writer CPU %.1f us/record, queue depth %d%n", label, records / seconds,
        cpuMicros, store.stats().queueDepth());
  }

  private static long writerThreadId() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("harp-audit-writer")) {
        return t.getId();
      }
    }
    throw new IllegalStateException("no writer thread");
  }
}
