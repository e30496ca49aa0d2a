package dev.harp.audit.tlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A real audit log for bundle tests: records with request bodies in a MerkleLog, three nodes' keys (node a signs
 * checkpoints as the log and can cosign; b and c cosign), and bundles of any span as mutable JSON.
 */
final class BundleFixture {

  static final String ORIGIN = "harp.example/audit";
  static final ObjectMapper JSON = new ObjectMapper();

  final NoteSigner logA = NoteSigner.generate("harp-node-a", NoteSigner.Role.LOG);
  final NoteSigner cosignerA = NoteSigner.generate("harp-node-a", NoteSigner.Role.COSIGNER);
  final NoteSigner cosignerB = NoteSigner.generate("harp-node-b", NoteSigner.Role.COSIGNER);
  final NoteSigner cosignerC = NoteSigner.generate("harp-node-c", NoteSigner.Role.COSIGNER);

  private final MerkleLog log;
  private final List<String> records = new ArrayList<>();
  private final List<byte[]> bodies = new ArrayList<>();

  BundleFixture(int size) {
    MemoryLeaves leaves = new MemoryLeaves();
    log = new MerkleLog(leaves);
    for (int i = 0; i < size; i++) {
      byte[] body = ("{\"order\":" + i + ",\"item\":\"caf\u00e9\"}").getBytes(StandardCharsets.UTF_8);
      String record = "{\"id\":\"r" + i + "\",\"request\":{\"method\":\"POST\",\"path\":\"/orders\","
          + "\"body\":{\"sha256\":\""
          + sha256Hex(body) + "\",\"size\":" + body.length + "}},\"response\":{\"status\":201}}";
      bodies.add(body);
      records.add(record);
      leaves.add(log, Rfc9162.leafHash(record.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** Keys file trusting all four keys, quorum 2. */
  String keysFile() {
    return "# HARP audit: the cluster's nodes\n"
        + logA.verifier().encode() + "\n"
        + cosignerA.verifier().encode() + "\n\n"
        + cosignerB.verifier().encode() + "\n"
        + "  " + cosignerC.verifier().encode() + "  \n"
        + "quorum 2\n";
  }

  /** Records {@code [from, to)}, checkpoints at the sizes given (signed by a, cosigned by b and c), proofs to match. */
  ObjectNode bundle(long from, long to, long... checkpointSizes) {
    ObjectNode bundle = JSON.createObjectNode().put("format", "harp-audit-bundle/v1").put("origin", ORIGIN);
    ArrayNode recordArray = bundle.putArray("records");
    ObjectNode blobs = bundle.putObject("blobs");
    long last = checkpointSizes[checkpointSizes.length - 1];
    ObjectNode inclusion = JSON.createObjectNode();
    for (long i = from; i < to; i++) {
      recordArray.addObject().put("index", i).put("record", records.get((int) i));
      byte[] body = bodies.get((int) i);
      blobs.put(sha256Hex(body), Base64.getEncoder().encodeToString(body));
      inclusion.set(Long.toString(i), hashes(log.inclusionProof(i, last)));
    }
    ArrayNode checkpoints = bundle.putArray("checkpoints");
    for (int c = 0; c < checkpointSizes.length; c++) {
      ObjectNode checkpoint = checkpoints.addObject()
          .put("note", note(checkpointSizes[c], logA, cosignerB, cosignerC));
      if (c > 0) {
        checkpoint.set("consistency", hashes(log.consistencyProof(checkpointSizes[c - 1], checkpointSizes[c])));
      }
    }
    bundle.set("inclusion", inclusion);
    return bundle;
  }

  /** The signed checkpoint of the log at {@code size}, by these signers in their roles. */
  String note(long size, NoteSigner... signers) {
    return note(new Checkpoint(ORIGIN, size, log.root(size), List.of()), signers);
  }

  /** Any checkpoint, signed as {@link #note(long, NoteSigner...)} signs the log's. */
  static String note(Checkpoint checkpoint, NoteSigner... signers) {
    String body = checkpoint.body();
    List<NoteSignature> signatures = new ArrayList<>();
    for (NoteSigner signer : signers) {
      signatures.add(signer.role() == NoteSigner.Role.LOG ? signer.sign(body) : signer.cosign(body, 1_700_000_000L));
    }
    return new SignedNote(body, signatures).encode();
  }

  String rootBase64(long size) {
    return Base64.getEncoder().encodeToString(log.root(size));
  }

  static String json(ObjectNode bundle) {
    return bundle.toString();
  }

  static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(Rfc9162.sha256(data));
  }

  private static ArrayNode hashes(List<byte[]> proof) {
    ArrayNode array = JSON.createArrayNode();
    proof.forEach(hash -> array.add(Base64.getEncoder().encodeToString(hash)));
    return array;
  }
}
