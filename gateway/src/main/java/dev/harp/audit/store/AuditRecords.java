package dev.harp.audit.store;

import dev.harp.audit.store.AuditRecord.BodyCapture;
import dev.harp.audit.tlog.Rfc9162;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * The canonical encoding of an audit record, version 1: the exact bytes that become a leaf of the node's Merkle log
 * (leaf hash = {@link Rfc9162#leafHash} of them). docs/audit-record.md is the reference for other implementations;
 * this comment and that file say the same.
 * <p>
 * UTF-8 JSON text of one object; keys sorted by {@link String#compareTo}, at every level; no whitespace; members
 * whose value is null are left out; numbers are integers; strings escaped as RFC 8785 (JCS) does, a lone surrogate
 * replaced by U+FFFD. Members:
 * <pre>
 * v           1 (this version)
 * i           log index of the record (0, 1, 2, ... per node)
 * ts          epoch milliseconds when the request head arrived
 * node, proxy, requestId, method, path, query, client, httpVersion, failure, upstream    strings, when known
 * status      status sent to the client, 0 when none was sent
 * durationUs  microseconds from request head to response end
 * bytesOut    bytes sent to the client
 * request, response   objects, always present, each with
 *     headers   array of [name, value] arrays in the order seen (after redaction); [] when none
 *     body      when a body was captured: {"kept": bytes kept, "sha256": lower-case hex SHA-256 of the kept bytes,
 *               "size": total body bytes, "truncated": true|false}
 * </pre>
 * The kept body bytes are not in the text: they are stored once per distinct SHA-256 in the blobs table, and a bundle
 * carries them next to the records so a verifier can check them against {@code sha256}.
 */
public final class AuditRecords {

  public static final int VERSION = 1;

  private static final HexFormat HEX = HexFormat.of();

  private AuditRecords() {
  }

  /** The canonical v1 bytes of {@code r} as log entry {@code index} (the leaf data). */
  public static byte[] encode(AuditRecord r, long index) {
    return text(r, index, sha256Hex(r.requestBody()), sha256Hex(r.responseBody())).getBytes(StandardCharsets.UTF_8);
  }

  /** The leaf hash of a canonical encoding. */
  public static byte[] leafHash(byte[] canonical) {
    return Rfc9162.leafHash(canonical);
  }

  /** The canonical text, with the body digests already computed (the writer needs them for the blobs too). */
  static String text(AuditRecord r, long index, String requestSha, String responseSha) {
    TreeMap<String, Object> o = CanonicalJson.object();
    o.put("v", VERSION);
    o.put("i", index);
    o.put("ts", r.startedAt());
    o.put("node", r.node());
    o.put("proxy", r.proxy());
    o.put("requestId", r.requestId());
    o.put("method", r.method());
    o.put("path", r.path());
    o.put("query", r.query());
    o.put("client", r.client());
    o.put("httpVersion", r.httpVersion());
    o.put("status", r.status());
    o.put("failure", r.failure());
    o.put("upstream", r.upstream());
    o.put("durationUs", r.durationMicros());
    o.put("bytesOut", r.bytesOut());
    o.put("request", side(r.requestHeaders(), r.requestBody(), requestSha));
    o.put("response", side(r.responseHeaders(), r.responseBody(), responseSha));
    return CanonicalJson.write(o);
  }

  private static TreeMap<String, Object> side(String[] headers, BodyCapture body, String sha) {
    TreeMap<String, Object> o = CanonicalJson.object();
    List<List<String>> pairs = new ArrayList<>(headers == null ? 0 : headers.length / 2);
    if (headers != null) {
      for (int i = 0; i < headers.length; i += 2) {
        // A null name or value is written as "": an array member cannot be left out without shifting the pair.
        pairs.add(List.of(nonNull(headers[i]), nonNull(headers[i + 1])));
      }
    }
    o.put("headers", pairs);
    if (body != null) {
      TreeMap<String, Object> b = CanonicalJson.object();
      b.put("kept", body.kept().length);
      b.put("sha256", sha);
      b.put("size", body.size());
      b.put("truncated", body.truncated());
      o.put("body", b);
    }
    return o;
  }

  /** Lower-case hex SHA-256 of the kept bytes, or null without a body. */
  static String sha256Hex(BodyCapture body) {
    return body == null ? null : HEX.formatHex(sha256(body.kept()));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
