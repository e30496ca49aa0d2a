package dev.harp.audit.store;

import dev.harp.audit.store.AuditFixtures.MutableClock;
import dev.harp.audit.tlog.MerkleProofs;
import dev.harp.audit.tlog.Rfc9162;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

import static dev.harp.audit.store.AuditFixtures.T0;
import static dev.harp.audit.store.AuditFixtures.record;
import static dev.harp.audit.store.SqliteAuditStoreTest.indexes;
import static dev.harp.audit.store.SqliteAuditStoreTest.sqlLong;
import static org.assertj.core.api.Assertions.assertThat;

class AuditRetentionTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long DAY = Duration.ofDays(1).toMillis();

  @TempDir
  Path dir;

  @Test
  void recordsOlderThanTheRetentionArePrunedAsAPrefixAndTheirLeavesStay() throws Exception {
    MutableClock clock = new MutableClock(T0);
    try (SqliteAuditStore store = SqliteAuditStore.open(dir, AuditFixtures.settings(clock), UnaryOperator.identity())) {
      store.offer(record(T0 - 40 * DAY, "GET", "/old0", 200, null, "{\"shared\":1}"));
      store.offer(record(T0 - 40 * DAY + 1, "GET", "/old1", 200, null, "{\"only-old\":1}"));
      store.offer(record(T0 - 35 * DAY, "GET", "/old2", 200, null, "{\"shared\":1}"));
      store.offer(record(T0 - DAY, "GET", "/young3", 200, null, "{\"shared\":1}"));
      store.offer(record(T0 - 31 * DAY, "GET", "/late-old4", 200, null, null)); // a long exchange, completed late
      store.offer(record(T0 - DAY + 1, "GET", "/young5", 200, null, null));
      assertThat(store.flush(WAIT)).isTrue();

      assertThat(store.pruneNow()).isEqualTo(3);

      assertThat(store.stats().pruned()).isEqualTo(3);
      assertThat(indexes(store.search(AuditQuery.all()))).containsExactly(5L, 4L, 3L);
      assertThat(store.detail(2)).isEmpty();
      assertThat(store.search(SqliteAuditStoreTest.query(null, null, null, null, "old0")).getLong("matched")).isZero();
      assertThat(sqlLong(dir, "SELECT count(*) FROM leaves")).isEqualTo(6);
      assertThat(sqlLong(dir, "SELECT count(*) FROM blobs")).as("the old-only body is gone, the shared one stays")
          .isEqualTo(1);
      assertThat(sqlLong(dir, "SELECT refs FROM blobs")).isEqualTo(1);
      assertInclusion(store, 3);

      clock.advance(Duration.ofDays(30));
      assertThat(store.pruneNow()).isEqualTo(3);
      assertThat(store.search(AuditQuery.all()).getLong("matched")).isZero();
      assertThat(sqlLong(dir, "SELECT count(*) FROM blobs")).isZero();
      assertThat(store.head().size()).isEqualTo(6);
    }
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      assertThat(store.head().size()).as("reopens over a fully pruned log").isEqualTo(6);
    }
  }

  @Test
  void theOldestRecordsGoWhenTheDatabaseOutgrowsItsBudget() throws Exception {
    long maxBytes = 512 * 1024;
    MutableClock clock = new MutableClock(T0);
    AuditStoreSettings settings = AuditFixtures.settings(clock).withRetention(Duration.ofDays(30), maxBytes);
    int n = 1_500;
    try (SqliteAuditStore store = SqliteAuditStore.open(dir, settings, UnaryOperator.identity())) {
      for (int i = 0; i < n; i++) {
        while (!store.offer(AuditFixtures.typical(T0 + i, i))) {
          assertThat(store.flush(WAIT)).isTrue(); // this test wants every record written
        }
      }
      assertThat(store.flush(WAIT)).isTrue();
      assertThat(store.usedBytes()).isGreaterThan(maxBytes * 4);

      long pruned = store.pruneNow();

      assertThat(store.usedBytes()).isLessThanOrEqualTo(maxBytes);
      long kept = store.search(AuditQuery.all()).getLong("matched");
      assertThat(pruned).isGreaterThan(n / 2).isEqualTo(n - kept);
      assertThat(store.stats().pruned()).isEqualTo(pruned);
      assertThat(sqlLong(dir, "SELECT min(idx) FROM records")).isEqualTo(pruned);
      assertThat(sqlLong(dir, "SELECT max(idx) FROM records")).isEqualTo(n - 1);
      assertThat(sqlLong(dir, "SELECT count(*) FROM blobs")).isEqualTo(2 * kept);
      assertThat(sqlLong(dir, "SELECT count(*) FROM leaves")).isEqualTo(n);
      assertInclusion(store, n - 1);
    }
  }

  private void assertInclusion(SqliteAuditStore store, long index) throws Exception {
    TreeHead head = store.head();
    String canonical = SqliteAuditStoreTest.canonical(dir, index);
    byte[] leaf = Rfc9162.leafHash(canonical.getBytes(StandardCharsets.UTF_8));
    MerkleProofs.verifyInclusion(index, head.size(), leaf, store.inclusionProof(index, head.size()), head.root());
  }
}
