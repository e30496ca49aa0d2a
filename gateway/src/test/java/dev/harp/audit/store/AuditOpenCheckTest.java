package dev.harp.audit.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.harp.audit.store.AuditFixtures.T0;
import static dev.harp.audit.store.AuditFixtures.record;
import static dev.harp.audit.store.SqliteAuditStoreTest.note;
import static dev.harp.audit.store.SqliteAuditStoreTest.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening refuses a log that does not match what it signed or what its records say. */
class AuditOpenCheckTest {

  @TempDir
  Path dir;

  @Test
  void refusesWhenTheLeafTableDisagreesWithTheStoredCheckpoint() throws Exception {
    writeTen(true);
    sql(dir, "UPDATE leaves SET hash = zeroblob(32) WHERE idx = 2");

    assertThatThrownBy(() -> AuditFixtures.open(dir)).isInstanceOf(AuditIntegrityException.class)
        .hasMessageContaining("size 10");
  }

  @Test
  void refusesACheckpointBeyondTheLog() throws Exception {
    writeTen(false);
    sql(dir, "INSERT INTO checkpoints VALUES (12, 'o\n12\n" + "A".repeat(43) + "=\n\n— x AAAA\n', 0, 0)");

    assertThatThrownBy(() -> AuditFixtures.open(dir)).isInstanceOf(AuditIntegrityException.class)
        .hasMessageContaining("size 12");
  }

  @Test
  void refusesWhenARecentRecordsTextWasAltered() throws Exception {
    writeTen(true);
    sql(dir, "UPDATE record_text SET canonical = replace(canonical, '\"status\":200', '\"status\":201') WHERE idx = 7");

    assertThatThrownBy(() -> AuditFixtures.open(dir)).isInstanceOf(AuditIntegrityException.class)
        .hasMessageContaining("record 7");
  }

  @Test
  void refusesAGapInTheLeafTable() throws Exception {
    writeTen(false);
    sql(dir, "DELETE FROM leaves WHERE idx = 3");

    assertThatThrownBy(() -> AuditFixtures.open(dir)).isInstanceOf(AuditIntegrityException.class)
        .hasMessageContaining("no leaf 3");
  }

  @Test
  void opensWhenNothingWasTouched() throws Exception {
    writeTen(true);
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      assertThat(store.head().size()).isEqualTo(10);
    }
  }

  private void writeTen(boolean checkpoint) throws Exception {
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      for (int i = 0; i < 10; i++) {
        store.offer(record(T0 + i, "/r/" + i, 200));
      }
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
      if (checkpoint) {
        store.saveCheckpoint(10, note("harp.test/node-1", 10, store.head().root(), "— node-1 AAAA\n"), true);
      }
    }
  }
}
