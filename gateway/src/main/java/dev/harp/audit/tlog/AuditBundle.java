package dev.harp.audit.tlog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code harp-audit-bundle/v1} as read from its JSON, before any check but its shape. Hashes stay base64 text
 * here; the checks decode them where they can say which proof a bad one belongs to.
 */
record AuditBundle(String origin, List<Entry> records, Map<String, String> blobs, List<SignedCheckpoint> checkpoints,
    Map<String, List<String>> inclusion) {

  /** One record: its index in the log and its canonical JSON text, whose UTF-8 bytes are the leaf. */
  record Entry(long index, String record) {
  }

  /** One checkpoint's signed note and the consistency proof from the checkpoint before it. */
  record SignedCheckpoint(String note, List<String> consistency) {
  }

  // Duplicate keys and trailing data are refused, not resolved: a verifier must not read one value where another
  // reader of the same file reads another.
  static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** @throws ProofException when it is not JSON, not this format (check 1), or not of the format's shape */
  static AuditBundle parse(String json) throws ProofException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      String line = e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr();
      throw new ProofException("malformed bundle: not JSON (" + e.getOriginalMessage() + line + ")");
    }
    if (root == null || !root.isObject()) {
      throw new ProofException("malformed bundle: not a JSON object");
    }
    JsonNode format = root.get("format");
    if (format == null || !BundleVerifier.FORMAT.equals(format.asText(null))) {
      throw new ProofException("format: expected " + BundleVerifier.FORMAT + ", found "
          + (format == null ? "none" : format));
    }
    return new AuditBundle(text(root, "origin", "origin"), entries(root), blobs(root), checkpoints(root),
        inclusion(root));
  }

  /** Decodes a proof's hashes; a bad one is named by its position in {@code what}. */
  static List<byte[]> hashes(List<String> base64, String what) throws ProofException {
    List<byte[]> hashes = new ArrayList<>(base64.size());
    for (int i = 0; i < base64.size(); i++) {
      try {
        hashes.add(Base64.getDecoder().decode(base64.get(i)));
      } catch (IllegalArgumentException e) {
        throw new ProofException(what + ": hash " + i + " is not base64");
      }
    }
    return hashes;
  }

  private static List<Entry> entries(JsonNode root) throws ProofException {
    List<Entry> entries = new ArrayList<>();
    JsonNode records = array(root, "records", "records");
    for (int i = 0; i < records.size(); i++) {
      String where = "records[" + i + "]";
      JsonNode index = records.get(i).get("index");
      if (index == null || !index.isIntegralNumber() || !index.canConvertToLong()) {
        throw new ProofException("malformed bundle: " + where + " has no whole-number index");
      }
      entries.add(new Entry(index.asLong(), text(records.get(i), "record", where + ".record")));
    }
    return entries;
  }

  private static Map<String, String> blobs(JsonNode root) throws ProofException {
    Map<String, String> blobs = new LinkedHashMap<>();
    JsonNode node = optionalObject(root, "blobs");
    for (Map.Entry<String, JsonNode> blob : node.properties()) {
      blobs.put(blob.getKey(), text(node, blob.getKey(), "blobs." + blob.getKey()));
    }
    return blobs;
  }

  private static List<SignedCheckpoint> checkpoints(JsonNode root) throws ProofException {
    List<SignedCheckpoint> checkpoints = new ArrayList<>();
    JsonNode array = array(root, "checkpoints", "checkpoints");
    if (array.isEmpty()) {
      throw new ProofException("malformed bundle: no checkpoints");
    }
    for (int i = 0; i < array.size(); i++) {
      String where = "checkpoints[" + i + "]";
      JsonNode consistency = array.get(i).get("consistency");
      List<String> proof = consistency == null || consistency.isNull() ? List.of()
          : texts(array.get(i), "consistency", where + ".consistency");
      checkpoints.add(new SignedCheckpoint(text(array.get(i), "note", where + ".note"), proof));
    }
    return checkpoints;
  }

  private static Map<String, List<String>> inclusion(JsonNode root) throws ProofException {
    Map<String, List<String>> proofs = new LinkedHashMap<>();
    JsonNode node = optionalObject(root, "inclusion");
    for (Map.Entry<String, JsonNode> proof : node.properties()) {
      proofs.put(proof.getKey(), texts(node, proof.getKey(), "inclusion." + proof.getKey()));
    }
    return proofs;
  }

  private static String text(JsonNode parent, String field, String where) throws ProofException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isTextual()) {
      throw new ProofException("malformed bundle: " + where + " is not a string");
    }
    return node.textValue();
  }

  private static List<String> texts(JsonNode parent, String field, String where) throws ProofException {
    JsonNode array = array(parent, field, where);
    List<String> texts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      texts.add(text(array, i, where + "[" + i + "]"));
    }
    return texts;
  }

  private static String text(JsonNode array, int i, String where) throws ProofException {
    if (!array.get(i).isTextual()) {
      throw new ProofException("malformed bundle: " + where + " is not a string");
    }
    return array.get(i).textValue();
  }

  private static JsonNode array(JsonNode parent, String field, String where) throws ProofException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isArray()) {
      throw new ProofException("malformed bundle: " + where + " is not an array");
    }
    return node;
  }

  private static JsonNode optionalObject(JsonNode parent, String field) throws ProofException {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return JSON.createObjectNode();
    }
    if (!node.isObject()) {
      throw new ProofException("malformed bundle: " + field + " is not an object");
    }
    return node;
  }
}
