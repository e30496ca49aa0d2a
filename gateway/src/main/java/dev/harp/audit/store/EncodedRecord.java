package dev.harp.audit.store;

/**
 * A redacted record made ready for one batch: its log index, canonical text and leaf hash, and its body digests (the
 * blobs' keys). Built on the writer thread.
 */
record EncodedRecord(long index, AuditRecord record, String text, byte[] leafHash, String requestSha,
                     String responseSha) {

  static EncodedRecord of(AuditRecord r, long index) {
    String requestSha = AuditRecords.sha256Hex(r.requestBody());
    String responseSha = AuditRecords.sha256Hex(r.responseBody());
    String text = AuditRecords.text(r, index, requestSha, responseSha);
    byte[] leafHash = AuditRecords.leafHash(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new EncodedRecord(index, r, text, leafHash, requestSha, responseSha);
  }
}
