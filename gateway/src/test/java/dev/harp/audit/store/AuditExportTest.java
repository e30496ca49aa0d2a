package dev.harp.audit.store;

import dev.harp.audit.tlog.MerkleProofs;
import dev.harp.audit.tlog.Rfc9162;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static dev.harp.audit.store.AuditFixtures.T0;
import static dev.harp.audit.store.SqliteAuditStoreTest.note;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bundles checked the way an outside verifier would: records hashed from their verbatim text, inclusion proofs
 * against the latest final checkpoint's root, the consistency proof between the two checkpoints, blobs against the
 * digests in the records.
 */
class AuditExportTest {

  private static final String ORIGIN = "harp.test/node-1";

  @TempDir
  Path dir;

  private SqliteAuditStore store;

  @BeforeEach
  void tenRecords() throws Exception {
    store = AuditFixtures.open(dir);
    for (int i = 0; i < 10; i++) {
      store.offer(AuditFixtures.record(T0 + i * 1_000L, "POST", "/r/" + i, 200, "{\"in\":" + i % 3 + "}",
          "{\"out\":" + i + "}"));
    }
    assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    store.close();
  }

  @Test
  void aBundleCoversTheRangeUpToTheLatestFinalCheckpoint() throws Exception {
    checkpoint(4, true);
    checkpoint(8, true);
    checkpoint(10, false);

    JsonObject bundle = store.exportBundle(T0 + 2_000, T0 + 9_000);

    assertThat(bundle.getString("format")).isEqualTo("harp-audit-bundle/v1");
    assertThat(bundle.getString("origin")).isEqualTo(ORIGIN);
    assertThat(bundle.getLong("pending")).isEqualTo(2);
    JsonArray records = bundle.getJsonArray("records");
    assertThat(records).hasSize(6);
    assertThat(records.getJsonObject(0).getLong("index")).isEqualTo(2);
    assertThat(records.getJsonObject(5).getLong("index")).isEqualTo(7);
    JsonArray checkpoints = bundle.getJsonArray("checkpoints");
    assertThat(checkpoints).hasSize(2);
    assertThat(checkpoints.getJsonObject(0).containsKey("consistency")).isFalse();
    assertThat(checkpoints.getJsonObject(0).getString("note")).isEqualTo(store.checkpoint(4).orElseThrow().note());

    verify(bundle);
  }

  @Test
  void aReceiptHoldsOneRecordAndOneCheckpointWhenTheFirstCoveringIsTheLatest() throws Exception {
    checkpoint(4, true);
    checkpoint(8, true);

    JsonObject receipt = store.exportReceipt(5).orElseThrow();

    assertThat(receipt.getJsonArray("records")).hasSize(1);
    assertThat(receipt.getJsonArray("checkpoints")).hasSize(1);
    assertThat(receipt.getJsonObject("inclusion").fieldNames()).containsExactly("5");
    assertThat(receipt.getLong("pending")).isZero();
    verify(receipt);

    JsonObject early = store.exportReceipt(1).orElseThrow();
    assertThat(early.getJsonArray("checkpoints")).hasSize(2);
    verify(early);
  }

  @Test
  void recordsNoFinalCheckpointCoversArePendingOnly() throws Exception {
    checkpoint(8, true);

    JsonObject receipt = store.exportReceipt(9).orElseThrow();
    assertThat(receipt.getJsonArray("records")).isEmpty();
    assertThat(receipt.getLong("pending")).isEqualTo(1);
    assertThat(store.exportReceipt(99)).isEmpty();
  }

  @Test
  void withoutAFinalCheckpointEverythingIsPending() {
    JsonObject bundle = store.exportBundle(0, Long.MAX_VALUE);

    assertThat(bundle.getJsonArray("records")).isEmpty();
    assertThat(bundle.getJsonArray("checkpoints")).isEmpty();
    assertThat(bundle.getLong("pending")).isEqualTo(10);
  }

  private void checkpoint(long size, boolean isFinal) {
    store.saveCheckpoint(size, note(ORIGIN, size, store.rootAt(size), "— node-1 AAAA\n"), isFinal);
  }

  /** What a verifier does with nothing but the bundle. */
  private static void verify(JsonObject bundle) throws Exception {
    JsonArray checkpoints = bundle.getJsonArray("checkpoints");
    List<CheckpointText> heads = new ArrayList<>();
    for (int i = 0; i < checkpoints.size(); i++) {
      heads.add(CheckpointText.parse(checkpoints.getJsonObject(i).getString("note")));
    }
    CheckpointText last = heads.get(heads.size() - 1);
    if (heads.size() == 2) {
      MerkleProofs.verifyConsistency(heads.get(0).size(), last.size(), heads.get(0).root(), last.root(),
          decode(checkpoints.getJsonObject(1).getJsonArray("consistency")));
    }
    JsonArray records = bundle.getJsonArray("records");
    JsonObject blobs = bundle.getJsonObject("blobs");
    for (int i = 0; i < records.size(); i++) {
      JsonObject entry = records.getJsonObject(i);
      long index = entry.getLong("index");
      byte[] text = entry.getString("record").getBytes(StandardCharsets.UTF_8);
      MerkleProofs.verifyInclusion(index, last.size(), Rfc9162.leafHash(text),
          decode(bundle.getJsonObject("inclusion").getJsonArray(Long.toString(index))), last.root());
      JsonObject record = new JsonObject(entry.getString("record"));
      assertThat(record.getLong("i")).isEqualTo(index);
      for (String side : List.of("request", "response")) {
        String sha = record.getJsonObject(side).getJsonObject("body").getString("sha256");
        byte[] data = Base64.getDecoder().decode(blobs.getString(sha));
        assertThat(HexFormat.of().formatHex(AuditRecords.sha256(data))).isEqualTo(sha);
      }
    }
    assertThat(heads.get(0).size()).isGreaterThan(records.getJsonObject(0).getLong("index"));
  }

  private static List<byte[]> decode(JsonArray hashes) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < hashes.size(); i++) {
      out.add(Base64.getDecoder().decode(hashes.getString(i)));
    }
    return out;
  }
}
