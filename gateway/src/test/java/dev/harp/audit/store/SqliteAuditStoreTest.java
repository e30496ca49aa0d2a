package dev.harp.audit.store;

import dev.harp.audit.tlog.LeafHashes;
import dev.harp.audit.tlog.MerkleLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

import static dev.harp.audit.store.AuditFixtures.T0;
import static dev.harp.audit.store.AuditFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteAuditStoreTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  @Test
  void indexesAndRootContinueAcrossReopen() throws Exception {
    List<AuditRecord> written = new ArrayList<>();
    TreeHead before;
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      assertThat(store.head().size()).isZero();
      for (int i = 0; i < 3; i++) {
        written.add(record(T0 + i, "/a/" + i, 200));
        assertThat(store.offer(written.get(i))).isTrue();
      }
      assertThat(store.flush(WAIT)).isTrue();
      before = store.head();
      assertThat(before.size()).isEqualTo(3);
    }
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      assertThat(store.head()).isEqualTo(before);
      for (int i = 3; i < 5; i++) {
        written.add(record(T0 + i, "/a/" + i, 200));
        store.offer(written.get(i));
      }
      assertThat(store.flush(WAIT)).isTrue();

      assertThat(store.head().size()).isEqualTo(5);
      assertThat(store.head().root()).isEqualTo(rootOf(written));
      assertThat(store.detail(3).orElseThrow().getLong("i")).isEqualTo(3);
      assertThat(store.detail(4).orElseThrow().getString("path")).isEqualTo("/a/4");
      assertThat(store.stats().written()).isEqualTo(2);
    }
  }

  @Test
  void flushCutsTheCommitWindowShortAndCloseWritesWhatIsQueued() throws Exception {
    AuditStoreSettings lingering = AuditFixtures.settings(Clock.systemUTC()).withBatch(500, Duration.ofHours(1));
    try (SqliteAuditStore store = SqliteAuditStore.open(dir, lingering, UnaryOperator.identity())) {
      store.offer(record(T0, "/a", 200));
      assertThat(store.flush(WAIT)).isTrue();
      assertThat(store.head().size()).isEqualTo(1);

      store.offer(record(T0 + 1, "/b", 200));
      store.offer(record(T0 + 2, "/c", 200));
    }
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      assertThat(store.head().size()).isEqualTo(3);
      assertThat(store.detail(2).orElseThrow().getString("path")).isEqualTo("/c");
    }
  }

  @Test
  void searchFiltersAndFindsTextInPathsHeadersAndBodies() throws Exception {
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      store.offer(record(T0, "GET", "/orders/1", 200, null, "{\"customer\":\"alice\"}"));
      store.offer(record(T0 + 1_000, "POST", "/Orders", 201, "{\"customer\":\"bob\"}", null));
      store.offer(record(T0 + 2_000, "GET", "/health", 503, null, null));
      store.offer(new AuditRecord(T0 + 3_000, "node-1", "admin", "timeout-1", "GET", "/slow", null, null, null, 0,
          "upstream-timeout", null, 30_000_000, 0, null, null, null, null));
      assertThat(store.flush(WAIT)).isTrue();

      JsonObject all = store.search(AuditQuery.all());
      assertThat(all.getLong("matched")).isEqualTo(4);
      assertThat(indexes(all)).containsExactly(3L, 2L, 1L, 0L);
      JsonObject newest = all.getJsonArray("items").getJsonObject(0);
      assertThat(newest.getString("failure")).isEqualTo("upstream-timeout");
      assertThat(newest.getDouble("durationMs")).isEqualTo(30_000.0);
      assertThat(newest.containsKey("upstream")).isFalse();
      assertThat(newest.fieldNames()).contains("index", "ts", "node", "proxy", "method", "path", "status",
          "durationMs", "requestId", "bytesOut");

      assertThat(indexes(store.search(query(null, null, "2xx", null, null)))).containsExactly(1L, 0L);
      assertThat(indexes(store.search(query(null, null, "error", null, null)))).containsExactly(3L, 2L);
      assertThat(indexes(store.search(query(null, null, "503", null, null)))).containsExactly(2L);
      assertThat(indexes(store.search(query(null, "post", null, null, null)))).containsExactly(1L);
      assertThat(indexes(store.search(query("admin", null, null, null, null)))).containsExactly(3L);
      assertThat(indexes(store.search(query(null, null, null, "ORDERS", null)))).containsExactly(1L, 0L);
      assertThat(indexes(store.search(query(null, null, null, null, "alice")))).containsExactly(0L);
      assertThat(indexes(store.search(query(null, null, null, null, "ali*")))).containsExactly(0L);
      assertThat(indexes(store.search(query(null, null, null, null, "customer bob")))).containsExactly(1L);
      assertThat(indexes(store.search(query(null, null, null, null, "curl")))).containsExactly(2L, 1L, 0L);
      assertThat(indexes(store.search(query(null, null, null, null, "health")))).containsExactly(2L);
      assertThat(indexes(store.search(query(null, null, "2xx", null, "alice bob")))).isEmpty();
      // FTS5 syntax in user input is just text, never an error
      assertThat(store.search(query(null, null, null, null, "\"unbalanced AND ( NEAR")).getLong("matched"))
          .isZero();

      JsonObject window = store.search(new AuditQuery(null, null, null, null, null, T0 + 1_000, T0 + 2_000, null, 0));
      assertThat(indexes(window)).containsExactly(2L, 1L);
      assertThat(indexes(store.search(new AuditQuery(null, null, null, null, null, null, null, "timeout-1", 0))))
          .containsExactly(3L);
      JsonObject limited = store.search(new AuditQuery(null, null, null, null, null, null, null, null, 1));
      assertThat(limited.getLong("matched")).isEqualTo(4);
      assertThat(indexes(limited)).containsExactly(3L);
    }
  }

  @Test
  void detailIsTheStoredRecordWithPreviews() throws Exception {
    byte[] binary = new byte[100];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) (0x80 + i);
    }
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      store.offer(record(T0, "POST", "/upload", 200, null, "{\"ok\":true}"));
      store.offer(new AuditRecord(T0 + 1, "node-1", "api", "bin-1", "POST", "/upload", "a=1", null, "HTTP/2", 200,
          null, null, 10, 100, null, null, new AuditRecord.BodyCapture(binary, 5_000, true),
          new AuditRecord.BodyCapture("caf\u00e9 au lait".getBytes(StandardCharsets.UTF_8), 14, false)));
      store.offer(record(T0 + 2, "GET", "/again", 200, null, ""));
      assertThat(store.flush(WAIT)).isTrue();

      JsonObject d = store.detail(1).orElseThrow();
      assertThat(d.getLong("index")).isEqualTo(1);
      assertThat(d.getString("query")).isEqualTo("a=1");
      JsonObject requestBody = d.getJsonObject("request").getJsonObject("body");
      assertThat(requestBody.getString("encoding")).isEqualTo("hex");
      assertThat(requestBody.getString("preview")).hasSize(128).startsWith("808182");
      assertThat(requestBody.getLong("size")).isEqualTo(5_000);
      assertThat(requestBody.getBoolean("truncated")).isTrue();
      JsonObject responseBody = d.getJsonObject("response").getJsonObject("body");
      assertThat(responseBody.getString("encoding")).isEqualTo("text");
      assertThat(responseBody.getString("preview")).isEqualTo("caf\u00e9 au lait");

      assertThat(store.detailByRequestId("bin-1").orElseThrow().getLong("index")).isEqualTo(1);
      assertThat(store.detailByRequestId("nobody")).isEmpty();
      assertThat(store.detail(99)).isEmpty();
      assertThat(store.detail(0).orElseThrow().getJsonObject("request").containsKey("body")).isFalse();
      JsonObject empty = store.detail(2).orElseThrow().getJsonObject("response").getJsonObject("body");
      assertThat(empty.getLong("kept")).isZero();
      assertThat(empty.getString("preview")).isEmpty();
    }
  }

  @Test
  void aBodySeenTwiceIsStoredOnce() throws Exception {
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      store.offer(record(T0, "GET", "/a", 200, null, "{\"same\":1}"));
      store.offer(record(T0 + 1, "GET", "/b", 200, null, "{\"same\":1}"));
      store.offer(record(T0 + 2, "GET", "/c", 200, null, "{\"other\":2}"));
      assertThat(store.flush(WAIT)).isTrue();
    }
    assertThat(sqlLong(dir, "SELECT count(*) FROM blobs")).isEqualTo(2);
    assertThat(sqlLong(dir, "SELECT refs FROM blobs WHERE data = CAST('{\"same\":1}' AS BLOB)")).isEqualTo(2);
  }

  @Test
  void redactionRunsBeforeAnythingIsStoredOrIndexed() throws Exception {
    UnaryOperator<AuditRecord> dropAuthorization = r -> new AuditRecord(r.startedAt(), r.node(), r.proxy(),
        r.requestId(), r.method(), r.path(), r.query(), r.client(), r.httpVersion(), r.status(), r.failure(),
        r.upstream(), r.durationMicros(), r.bytesOut(), withoutAuthorization(r.requestHeaders()),
        r.responseHeaders(), r.requestBody(), r.responseBody());
    try (SqliteAuditStore store = SqliteAuditStore.open(dir, AuditFixtures.settings(Clock.systemUTC()),
        dropAuthorization)) {
      store.offer(record(T0, "/a", 200));
      assertThat(store.flush(WAIT)).isTrue();

      assertThat(store.detail(0).orElseThrow().encode()).doesNotContain("secret-token").contains("curl/8.5.0");
      assertThat(store.search(query(null, null, null, null, "secret")).getLong("matched")).isZero();
    }
  }

  @Test
  void aRecordTheRedactionRejectsIsCountedAndTakesNoIndex() throws Exception {
    UnaryOperator<AuditRecord> picky = r -> {
      if (r.path().equals("/bad")) {
        throw new IllegalStateException("cannot redact");
      }
      return r;
    };
    try (SqliteAuditStore store = SqliteAuditStore.open(dir, AuditFixtures.settings(Clock.systemUTC()), picky)) {
      store.offer(record(T0, "/good", 200));
      store.offer(record(T0 + 1, "/bad", 200));
      store.offer(record(T0 + 2, "/good2", 200));
      assertThat(store.flush(WAIT)).isTrue();

      assertThat(store.stats().failed()).isEqualTo(1);
      assertThat(store.head().size()).isEqualTo(2);
      assertThat(store.detail(1).orElseThrow().getString("path")).isEqualTo("/good2");
    }
  }

  @Test
  void checkpointsAreUpsertedBySizeAndChecked() throws Exception {
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      for (int i = 0; i < 3; i++) {
        store.offer(record(T0 + i, "/a", 200));
      }
      assertThat(store.flush(WAIT)).isTrue();
      String note2 = note("harp.test/node-1", 2, store.rootAt(2), "— node-1 AAAA\n");
      String note3 = note("harp.test/node-1", 3, store.head().root(), "— node-1 AAAA\n");

      store.saveCheckpoint(2, note2, true);
      store.saveCheckpoint(3, note3, false);
      store.saveCheckpoint(3, note3 + "— witness-1 BBBB\n", false);
      store.saveCheckpoint(2, note2 + "— witness-1 CCCC\n", false); // final stays final

      assertThat(store.latestCheckpoint().orElseThrow().note()).endsWith("BBBB\n");
      assertThat(store.latestCheckpoint().orElseThrow().isFinal()).isFalse();
      StoredCheckpoint fin = store.latestFinal().orElseThrow();
      assertThat(fin.size()).isEqualTo(2);
      assertThat(fin.note()).endsWith("CCCC\n");
      assertThat(fin.isFinal()).isTrue();
      assertThat(store.checkpoint(3)).isPresent();
      assertThat(store.checkpoint(1)).isEmpty();

      assertThatThrownBy(() -> store.saveCheckpoint(2, note3, false)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.saveCheckpoint(3, note("harp.test/node-1", 3, new byte[32], "— x AAAA\n"),
          false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
      assertThatThrownBy(() -> store.saveCheckpoint(4, note("harp.test/node-1", 4, new byte[32], "— x AAAA\n"),
          false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("committed");
    }
  }

  @Test
  void aWitnessesMemoryOfALogNeverGoesBack() {
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      byte[] root5 = new byte[32];
      root5[0] = 5;
      assertThat(store.witnessed("harp.test/node-2")).isEmpty();
      assertThat(store.saveWitnessed("harp.test/node-2", 5, root5, "note-5")).isTrue();
      assertThat(store.saveWitnessed("harp.test/node-2", 3, new byte[32], "note-3")).isFalse();

      Witnessed w = store.witnessed("harp.test/node-2").orElseThrow();
      assertThat(w.size()).isEqualTo(5);
      assertThat(w.root()).isEqualTo(root5);
      assertThat(w.note()).isEqualTo("note-5");
    }
  }

  @Test
  void offersAfterCloseAreShedAndCounted() {
    SqliteAuditStore store = AuditFixtures.open(dir);
    store.close();

    assertThat(store.offer(record(T0, "/late", 200))).isFalse();
    assertThat(store.stats().shed()).isEqualTo(1);
  }

  static String note(String origin, long size, byte[] root, String signatures) {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n\n" + signatures;
  }

  static AuditQuery query(String proxy, String method, String status, String path, String text) {
    return new AuditQuery(proxy, method, status, path, text, null, null, null, 0);
  }

  static List<Long> indexes(JsonObject result) {
    JsonArray items = result.getJsonArray("items");
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      out.add(items.getJsonObject(i).getLong("index"));
    }
    return out;
  }

  static long sqlLong(Path dir, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(AuditDatabase.url(dir)); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }

  static String canonical(Path dir, long index) throws SQLException {
    try (Connection c = DriverManager.getConnection(AuditDatabase.url(dir)); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT canonical FROM record_text WHERE idx = " + index)) {
      assertThat(rs.next()).as("record %d is stored", index).isTrue();
      return rs.getString(1);
    }
  }

  static void sql(Path dir, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(AuditDatabase.url(dir)); Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  /** The root an independent in-memory log computes over the records' canonical encodings. */
  static byte[] rootOf(List<AuditRecord> records) {
    List<byte[]> hashes = new ArrayList<>();
    LeafHashes leaves = (from, to) -> hashes.subList((int) from, (int) to).toArray(new byte[0][]);
    MerkleLog log = new MerkleLog(leaves);
    for (int i = 0; i < records.size(); i++) {
      byte[] h = AuditRecords.leafHash(AuditRecords.encode(records.get(i), i));
      hashes.add(h);
      log.append(h);
    }
    return log.root();
  }

  private static String[] withoutAuthorization(String[] headers) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < headers.length; i += 2) {
      if (!headers[i].equalsIgnoreCase("Authorization")) {
        out.add(headers[i]);
        out.add(headers[i + 1]);
      }
    }
    return out.toArray(new String[0]);
  }
}
