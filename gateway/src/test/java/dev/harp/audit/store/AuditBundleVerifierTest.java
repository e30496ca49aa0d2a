package dev.harp.audit.store;

import dev.harp.audit.tlog.BundleVerifier;
import dev.harp.audit.tlog.Checkpoint;
import dev.harp.audit.tlog.NoteSignature;
import dev.harp.audit.tlog.NoteSigner;
import dev.harp.audit.tlog.SignedNote;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.harp.audit.store.AuditFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The store's exports pass {@code harp audit verify}'s checks with real signed and cosigned checkpoints. */
class AuditBundleVerifierTest {

  private static final String ORIGIN = "harp.test/node-a";

  private final NoteSigner log = NoteSigner.generate("harp-node-a", NoteSigner.Role.LOG);
  private final NoteSigner witnessB = NoteSigner.generate("harp-node-b", NoteSigner.Role.COSIGNER);

  @TempDir
  Path dir;

  @Test
  void bundlesAndReceiptsVerify() throws Exception {
    try (SqliteAuditStore store = AuditFixtures.open(dir)) {
      for (int i = 0; i < 600; i++) {
        store.offer(AuditFixtures.typical(T0 + i * 10L, i));
      }
      assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
      for (long size : new long[] {100, 300, 520}) {
        String body = new Checkpoint(ORIGIN, size, store.rootAt(size), List.of()).body();
        String signed = new SignedNote(body, List.of(log.sign(body))).encode();
        store.saveCheckpoint(size, signed, false); // signed by the log: not final until cosigned
        NoteSignature cosignature = witnessB.cosign(body, 1_780_000_000L);
        store.saveCheckpoint(size, new SignedNote(body, List.of(log.sign(body), cosignature)).encode(), true);
      }
      String keys = log.verifier().encode() + "\n" + witnessB.verifier().encode() + "\nquorum 2\n";

      JsonObject bundle = store.exportBundle(T0 + 1_500, T0 + 5_990);
      BundleVerifier.Result result = BundleVerifier.verify(bundle.encode(), keys);
      assertThat(result.ok()).as(result.message()).isTrue();
      assertThat(result.recordsVerified()).isEqualTo(520 - 150);
      assertThat(result.checkpointsVerified()).isEqualTo(2);
      assertThat(bundle.getLong("pending")).isEqualTo(599 - 520 + 1);

      JsonObject receipt = store.exportReceipt(299).orElseThrow();
      BundleVerifier.Result one = BundleVerifier.verify(receipt.encode(), keys);
      assertThat(one.ok()).as(one.message()).isTrue();
      assertThat(one.message()).contains("1 record (299)");

      JsonObject tampered = store.exportReceipt(42).orElseThrow();
      JsonObject entry = tampered.getJsonArray("records").getJsonObject(0);
      entry.put("record", entry.getString("record").replace("\"status\":200", "\"status\":204"));
      assertThat(BundleVerifier.verify(tampered.encode(), keys).ok()).isFalse();
    }
  }
}
