package dev.harp.audit.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real bundle (300 records, checkpoints 100, 200 and 300 signed by node a and cosigned by b and c, quorum 2) passes;
 * each way of tampering with it fails, naming the record, checkpoint or key.
 */
class BundleVerifierTest {

  private static final BundleFixture LOG = new BundleFixture(300);
  private static final String KEYS = LOG.keysFile();

  private final ObjectNode bundle = LOG.bundle(250, 270, 100, 200, 300);

  @Test
  void aBundleOfTheLogPasses() {
    BundleVerifier.Result result = verify(bundle);

    assertThat(result.ok()).as(result.message()).isTrue();
    assertThat(result.recordsVerified()).isEqualTo(20);
    assertThat(result.checkpointsVerified()).isEqualTo(3);
    assertThat(result.message()).contains("20 records (250..269)", "checkpoint 300", "20 record bodies matched");
  }

  @Test
  void aReceiptOfOneRecordPasses() {
    BundleVerifier.Result result = verify(LOG.bundle(17, 18, 300));

    assertThat(result.ok()).as(result.message()).isTrue();
    assertThat(result.recordsVerified()).isEqualTo(1);
    assertThat(result.message()).contains("1 record (17)");
  }

  @Test
  void anEditedRecordFails() {
    ObjectNode record = (ObjectNode) records().get(5);
    record.put("record", record.get("record").textValue().replace("\"status\":201", "\"status\":200"));

    assertFails(bundle, "record 255: inclusion proof of index 255 in tree size 300");
  }

  @Test
  void aDeletedRecordFails() {
    records().remove(7);

    assertFails(bundle, "record 257 is missing (256 is followed by 258)");
  }

  @Test
  void twoSwappedRecordsFail() {
    JsonNode text260 = records().get(10).get("record");
    ((ObjectNode) records().get(10)).set("record", records().get(11).get("record"));
    ((ObjectNode) records().get(11)).set("record", text260);

    assertFails(bundle, "record 260: inclusion proof of index 260");

    ObjectNode reordered = LOG.bundle(250, 270, 100, 200, 300);
    ArrayNode entries = (ArrayNode) reordered.get("records");
    JsonNode entry260 = entries.get(10);
    entries.set(10, entries.get(11));
    entries.set(11, entry260);
    assertFails(reordered, "record 260 is missing (259 is followed by 261)");
  }

  @Test
  void aCheckpointSignedOnlyByAnUntrustedKeyFails() {
    NoteSigner stranger = NoteSigner.generate("harp-node-x", NoteSigner.Role.LOG);
    checkpoint(2).put("note", LOG.note(300, stranger));

    assertFails(bundle, "checkpoint 300: 0 of 2 required trusted signatures (not trusted: harp-node-x+"
        + NoteKey.hex(stranger.verifier().keyId()) + ")");
  }

  @Test
  void aCheckpointWithOneTrustedSignatureFails() {
    NoteSigner stranger = NoteSigner.generate("harp-node-x", NoteSigner.Role.COSIGNER);
    checkpoint(1).put("note", LOG.note(200, LOG.logA, stranger));

    assertFails(bundle, "checkpoint 200: 1 of 2 required trusted signatures (not trusted: harp-node-x+");
  }

  @Test
  void aNameCountsOnceHoweverManyOfItsKeysSign() {
    checkpoint(1).put("note", LOG.note(200, LOG.logA, LOG.cosignerA));

    assertFails(bundle, "checkpoint 200: 1 of 2 required trusted signatures");

    checkpoint(1).put("note", LOG.note(200, LOG.cosignerA, LOG.cosignerC));
    assertThat(verify(bundle).ok()).as("cosignatures alone count too").isTrue();
  }

  @Test
  void aTamperedConsistencyProofFails() {
    ArrayNode proof = (ArrayNode) checkpoint(2).get("consistency");
    proof.set(1, TextNode.valueOf(flippedBase64(proof.get(1).textValue())));

    BundleVerifier.Result result = assertFails(bundle, "checkpoint 300: consistency proof from size 200 to size 300");
    assertThat(result.checkpointsVerified()).as("their signatures were fine").isEqualTo(3);
    assertThat(result.recordsVerified()).isZero();
  }

  @Test
  void aCheckpointWhoseTextChangedUnderItsSignaturesFails() {
    String note = checkpoint(2).get("note").textValue();
    checkpoint(2).put("note", note.replace(LOG.rootBase64(300), LOG.rootBase64(299)));

    assertFails(bundle, "checkpoint 300: the signature of harp-node-a+" + NoteKey.hex(LOG.logA.verifier().keyId())
        + " does not verify");
  }

  @Test
  void checkpointsMustGrowAndAgree() {
    ObjectNode shrinking = LOG.bundle(10, 12, 200, 300);
    ((ObjectNode) shrinking.withArray("checkpoints").get(1)).put("note", LOG.note(100, LOG.logA, LOG.cosignerB));
    assertFails(shrinking, "checkpoint 100 follows checkpoint 200: sizes must not decrease");
    assertThat(verify(LOG.bundle(10, 12, 100, 100, 300)).ok()).as("the same checkpoint twice").isTrue();

    ObjectNode forked = LOG.bundle(10, 12, 100, 200);
    Checkpoint fork = new Checkpoint(BundleFixture.ORIGIN, 200, Rfc9162.leafHash(new byte[] {1}), List.of());
    forked.withArray("checkpoints").addObject().put("note", BundleFixture.note(fork, LOG.logA, LOG.cosignerB));
    assertFails(forked, "checkpoint 200: consistency proof from size 200 to size 200");
  }

  @Test
  void recordsOutsideTheLastCheckpointOrWithoutProofFail() {
    ObjectNode beyond = LOG.bundle(250, 260, 100, 260);
    beyond.withArray("records").addObject().put("index", 260).put("record", "{}");
    beyond.withObject("inclusion").putArray("260");
    assertFails(beyond, "record 260 is not in the last checkpoint (size 260)");

    bundle.withObject("inclusion").remove("263");
    assertFails(bundle, "record 263: no inclusion proof");
  }

  @Test
  void aBodyThatIsNotTheOneRecordedFails() {
    Map.Entry<String, JsonNode> blob = bundle.withObject("blobs").properties().iterator().next();
    bundle.withObject("blobs").put(blob.getKey(), Base64.getEncoder().encodeToString("{\"order\":-1}".getBytes()));

    assertFails(bundle, "blob " + blob.getKey() + ": its content hashes to");
  }

  @Test
  void anotherLogsCheckpointFails() {
    bundle.put("origin", "elsewhere.example/audit");

    assertFails(bundle, "checkpoint 100: origin 'harp.example/audit' is not the bundle's 'elsewhere.example/audit'");
  }

  @Test
  void malformedInputIsAFailedResult() {
    assertThat(BundleVerifier.verify("{not json", KEYS).message()).startsWith("malformed bundle: not JSON");
    assertThat(BundleVerifier.verify("[]", KEYS).message()).isEqualTo("malformed bundle: not a JSON object");

    bundle.put("format", "harp-audit-bundle/v0");
    assertFails(bundle, "format: expected harp-audit-bundle/v1, found \"harp-audit-bundle/v0\"");

    ObjectNode noIndex = LOG.bundle(1, 3, 10);
    ((ObjectNode) noIndex.withArray("records").get(1)).put("index", "2");
    assertFails(noIndex, "malformed bundle: records[1] has no whole-number index");

    String duplicated = BundleFixture.json(LOG.bundle(1, 3, 10)).replaceFirst("\\{", "{\"origin\":\"x\",");
    assertThat(BundleVerifier.verify(duplicated, KEYS).message()).contains("Duplicate field 'origin'");
    assertThat(BundleVerifier.verify(BundleFixture.json(bundle) + "{}", KEYS).message())
        .startsWith("malformed bundle: not JSON");
  }

  @Test
  void aBadKeysFileIsAFailedResult() {
    String json = BundleFixture.json(bundle);

    assertThat(BundleVerifier.verify(json, KEYS.replace("quorum 2", "quorum 5")).message())
        .isEqualTo("keys file: quorum 5 but 3 trusted key names");
    assertThat(BundleVerifier.verify(json, KEYS.replace("quorum 2", "quorum two")).message())
        .startsWith("keys file line 7: expected 'quorum <k>'");
    assertThat(BundleVerifier.verify(json, "harp-node-a+0000+AAAA\n").message()).startsWith("keys file line 1:");
  }

  @Test
  void filesAreReadAndAMissingOneIsAFailedResult(@TempDir Path dir) throws IOException {
    Path bundleFile = Files.writeString(dir.resolve("bundle.json"), BundleFixture.json(bundle));
    Path keysFile = Files.writeString(dir.resolve("keys.txt"), KEYS);

    assertThat(BundleVerifier.verify(bundleFile, keysFile).ok()).isTrue();
    assertThat(BundleVerifier.verify(dir.resolve("none.json"), keysFile).message()).startsWith("cannot read bundle");
  }

  private ArrayNode records() {
    return bundle.withArray("records");
  }

  private ObjectNode checkpoint(int i) {
    return (ObjectNode) bundle.withArray("checkpoints").get(i);
  }

  private static BundleVerifier.Result verify(ObjectNode bundle) {
    return BundleVerifier.verify(BundleFixture.json(bundle), KEYS);
  }

  private static BundleVerifier.Result assertFails(ObjectNode bundle, String message) {
    BundleVerifier.Result result = verify(bundle);
    assertThat(result.ok()).as("verification of a tampered bundle").isFalse();
    assertThat(result.message()).contains(message);
    return result;
  }

  private static String flippedBase64(String base64) {
    byte[] hash = Base64.getDecoder().decode(base64);
    hash[3] ^= 0x01;
    return Base64.getEncoder().encodeToString(hash);
  }
}
