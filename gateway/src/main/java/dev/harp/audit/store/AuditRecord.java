package dev.harp.audit.store;

/**
 * One completed transaction as the audit filter hands it over, on an event loop: references and copies only, no
 * hashing, no JSON. Everything costly (redaction, encoding, hashing) happens on the store's writer thread.
 * <p>
 * Arrays are taken as given, not copied: the filter builds them for this record and never writes them again. Equality
 * is therefore identity for the array components; nothing compares records.
 *
 * @param startedAt       epoch milliseconds when the request head arrived
 * @param node            the node that handled it
 * @param query           the raw query string, or null
 * @param status          status sent to the client, 0 if none could be sent
 * @param failure         why HARP ended it abnormally (a failure slug), or null
 * @param upstream        endpoint label, or null when answered locally
 * @param requestHeaders  {@code name, value, name, value, ...} in arrival order, or null for none
 * @param responseHeaders same, as sent to the client
 * @param requestBody     what was captured of the request body, or null when nothing was captured
 * @param responseBody    same for the response body
 */
public record AuditRecord(long startedAt, String node, String proxy, String requestId, String method, String path,
                          String query, String client, String httpVersion, int status, String failure,
                          String upstream, long durationMicros, long bytesOut, String[] requestHeaders,
                          String[] responseHeaders, BodyCapture requestBody, BodyCapture responseBody) {

  public AuditRecord {
    // Checked here, on the filter's thread, so a malformed record fails where it was built, not in the writer.
    checkPairs(requestHeaders, "requestHeaders");
    checkPairs(responseHeaders, "responseHeaders");
  }

  /**
   * The first bytes of a body, up to the configured capture size.
   *
   * @param kept      the captured bytes (stored once, by SHA-256, in the blobs table)
   * @param size      the body's total size in bytes, as far as it was seen
   * @param truncated whether {@code kept} is shorter than the body
   */
  public record BodyCapture(byte[] kept, long size, boolean truncated) {

    public BodyCapture {
      if (kept == null) {
        throw new IllegalArgumentException("kept must not be null (use an empty array)");
      }
      if (size < kept.length) {
        throw new IllegalArgumentException("size " + size + " is less than the " + kept.length + " bytes kept");
      }
    }
  }

  private static void checkPairs(String[] headers, String name) {
    if (headers != null && headers.length % 2 != 0) {
      throw new IllegalArgumentException(name + " must hold name/value pairs, got " + headers.length + " entries");
    }
  }
}
