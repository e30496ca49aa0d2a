package dev.harp.audit.tlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Check 5 of a bundle: every blob is the content its SHA-256 key names, and every body a record refers to by
 * {@code {"sha256": "<hex>"}} (at {@code request.body} or {@code response.body}) that the bundle carries hashes to
 * that reference. A body left out of the bundle is not a failure: exports may omit bodies.
 */
final class BlobContents {

  private static final List<String> BODIES = List.of("request", "response");

  private BlobContents() {
  }

  /** @return how many record body references were matched against a blob */
  static int verify(Map<String, String> blobs, List<AuditBundle.Entry> records) throws ProofException {
    Map<String, String> contentHashes = new HashMap<>();
    for (Map.Entry<String, String> blob : blobs.entrySet()) {
      String actual = sha256Hex(blob.getValue(), "blob " + blob.getKey());
      if (!actual.equals(blob.getKey())) {
        throw new ProofException("blob " + blob.getKey() + ": its content hashes to " + actual);
      }
      contentHashes.put(blob.getKey(), actual);
    }
    int matched = 0;
    for (AuditBundle.Entry record : records) {
      JsonNode json = parse(record);
      for (String side : BODIES) {
        JsonNode reference = json.path(side).path("body").path("sha256");
        if (reference.isMissingNode()) {
          continue;
        }
        String where = "record " + record.index() + ": " + side + ".body.sha256";
        if (!reference.isTextual()) {
          throw new ProofException(where + " is not a string");
        }
        String contentHash = contentHashes.get(reference.textValue());
        if (contentHash == null) {
          continue;
        }
        if (!contentHash.equals(reference.textValue())) {
          throw new ProofException(where + " is " + reference.textValue() + " but the body hashes otherwise");
        }
        matched++;
      }
    }
    return matched;
  }

  private static JsonNode parse(AuditBundle.Entry record) throws ProofException {
    try {
      return AuditBundle.JSON.readTree(record.record());
    } catch (JsonProcessingException e) {
      throw new ProofException("record " + record.index() + ": not JSON (" + e.getOriginalMessage() + ")");
    }
  }

  private static String sha256Hex(String base64, String what) throws ProofException {
    try {
      return HexFormat.of().formatHex(Rfc9162.sha256(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException e) {
      throw new ProofException(what + ": the content is not base64");
    }
  }
}
