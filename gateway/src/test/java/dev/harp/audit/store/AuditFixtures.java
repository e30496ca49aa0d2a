package dev.harp.audit.store;

import dev.harp.audit.store.AuditRecord.BodyCapture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;

/** Records and settings for the store's tests. */
final class AuditFixtures {

  static final long T0 = 1_780_000_000_000L;

  private AuditFixtures() {
  }

  /** Commits at once (no commit window), so tests wait on {@code flush} only for the writer's own pace. */
  static AuditStoreSettings settings(Clock clock) {
    return AuditStoreSettings.DEFAULTS.withBatch(500, Duration.ZERO).withClock(clock);
  }

  static SqliteAuditStore open(Path dir) {
    return SqliteAuditStore.open(dir, settings(Clock.systemUTC()), UnaryOperator.identity());
  }

  static AuditRecord record(long ts, String method, String path, int status, String requestBody,
                            String responseBody) {
    return new AuditRecord(ts, "node-1", "api", "req-" + ts, method, path, null, "10.0.0.7", "HTTP/1.1", status,
        null, status == 0 ? null : "http://10.0.0.20:8080", 1_500, responseBody == null ? 0 : responseBody.length(),
        new String[] {"Host", "api.example.com", "User-Agent", "curl/8.5.0", "Authorization", "Bearer secret-token"},
        new String[] {"Content-Type", "application/json", "X-Request-Id", "req-" + ts},
        body(requestBody), body(responseBody));
  }

  static AuditRecord record(long ts, String path, int status) {
    return record(ts, "GET", path, status, null, "{\"ok\":true}");
  }

  static BodyCapture body(String text) {
    return text == null ? null : new BodyCapture(text.getBytes(StandardCharsets.UTF_8), text.length(), false);
  }

  /** A typical exchange: ten headers each way and 1 KiB bodies, distinct per {@code n}. */
  static AuditRecord typical(long ts, long n) {
    String[] request = {
        "Host", "api.example.com", "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0",
        "Accept", "application/json", "Accept-Encoding", "gzip, deflate, br", "Accept-Language", "en-GB,en;q=0.5",
        "Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.redacted", "Content-Type", "application/json",
        "Content-Length", "1024", "X-Request-Id", "r-" + n, "X-Forwarded-For", "10.1.2.3"};
    String[] response = {
        "Content-Type", "application/json", "Content-Length", "1024", "Date", "Mon, 01 Jun 2026 10:00:00 GMT",
        "Cache-Control", "no-store", "X-Request-Id", "r-" + n, "Via", "1.1 harp", "Server", "nginx",
        "Vary", "Accept-Encoding", "ETag", "\"" + Long.toHexString(n * 2654435761L) + "\"", "Connection", "keep-alive"};
    return new AuditRecord(ts, "node-1", "api", "r-" + n, n % 5 == 0 ? "POST" : "GET", "/orders/" + (n % 1000),
        "page=" + (n % 7), "10.1.2.3", "HTTP/1.1", n % 50 == 0 ? 503 : 200, null, "http://10.0.0.20:8080", 2_345,
        1024, request, response, kib("request", n), kib("response", n));
  }

  private static BodyCapture kib(String side, long n) {
    StringBuilder s = new StringBuilder(1024).append("{\"side\":\"").append(side).append("\",\"n\":").append(n)
        .append(",\"items\":[");
    for (int i = 0; s.length() < 1000; i++) {
      s.append("{\"sku\":\"SKU-").append((n * 31 + i) % 99991).append("\",\"qty\":").append(i).append("},");
    }
    s.setLength(1022);
    s.append("]}");
    return body(s.toString());
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {

    private volatile long millis;

    MutableClock(long millis) {
      this.millis = millis;
    }

    void advance(Duration d) {
      millis += d.toMillis();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }
}
