package dev.harp.cache;

import io.vertx.core.MultiMap;

import java.util.List;

/**
 * Whether a selected stored response may be used for a request, must be validated first, or may be served stale
 * (RFC 9111 §4, §4.2.4, §5.2.1; RFC 5861; RFC 8246).
 */
final class UsePolicy {

  private UsePolicy() {
  }

  /** The request's directives; {@code Pragma: no-cache} counts as no-cache when Cache-Control is absent (§5.4). */
  static CacheControl requestDirectives(MultiMap headers) {
    List<String> lines = headers.getAll("cache-control");
    if (lines.isEmpty()) {
      for (String p : headers.getAll("pragma")) {
        if (p.toLowerCase(java.util.Locale.ROOT).contains("no-cache")) {
          return CacheControl.parse(List.of("no-cache"));
        }
      }
      return CacheControl.EMPTY;
    }
    return CacheControl.parse(lines);
  }

  static CacheLookup decide(StoredResponse r, CacheControl req, long now, CacheSettings settings) {
    long age = r.currentAge(now);
    long ttl = r.lifetimeMillis() - age;
    if (req.has("no-cache")) {
      return new CacheLookup.Validate(r, age, ttl, "request"); // §5.2.1.4
    }
    if (r.noCache()) {
      return new CacheLookup.Validate(r, age, ttl, "stale"); // §5.2.2.4
    }
    long maxAge = req.seconds("max-age");
    long minFresh = req.seconds("min-fresh");
    if (ttl > 0) {
      // RFC 8246: a fresh immutable response is not revalidated because a client reloads (max-age=0).
      // max-age=0 (a browser's reload) validates even a response stored this very millisecond.
      if (maxAge >= 0 && (age > maxAge * 1000 || maxAge == 0) && !r.immutable()) {
        return new CacheLookup.Validate(r, age, ttl, "request"); // §5.2.1.1
      }
      if (minFresh >= 0 && ttl < minFresh * 1000) {
        return new CacheLookup.Validate(r, age, ttl, "request"); // §5.2.1.3
      }
      return new CacheLookup.Usable(r, age, ttl, null, false);
    }
    long staleness = -ttl;
    if (!r.mustRevalidate()) {
      long maxStale = req.secondsOrAny("max-stale");
      boolean ageOk = maxAge < 0 || age <= maxAge * 1000;
      if (maxStale >= 0 && ageOk && minFresh < 0
          && (maxStale == Long.MAX_VALUE || staleness <= maxStale * 1000)) {
        return new CacheLookup.Usable(r, age, ttl, "max-stale", false); // §5.2.1.2
      }
      long swr = r.staleWhileRevalidate() >= 0 ? r.staleWhileRevalidate()
          : settings.staleWhileRevalidate().toSeconds();
      if (swr > 0 && staleness <= swr * 1000 && maxAge < 0 && minFresh < 0) {
        return new CacheLookup.Usable(r, age, ttl, "stale-while-revalidate", true); // RFC 5861 §3
      }
    }
    return new CacheLookup.Validate(r, age, ttl, "stale");
  }

  /**
   * RFC 5861 §4: after an upstream error (no response, or 500/502/503/504), may this stale response be served? The
   * response's stale-if-error (or the proxy's default) or the request's own allows it; must-revalidate and its
   * relatives forbid it (RFC 9111 §4.2.4).
   */
  static boolean staleIfErrorAllows(StoredResponse r, CacheControl req, long now, CacheSettings settings) {
    if (r.mustRevalidate() || r.noCache()) {
      return false;
    }
    long staleness = Math.max(0, -r.ttl(now));
    long fromResponse = r.staleIfError() >= 0 ? r.staleIfError() : settings.staleIfError().toSeconds();
    long fromRequest = req.seconds("stale-if-error");
    if (req.has("no-cache") && fromRequest < 0) {
      return false; // the client insisted on a validated response
    }
    return (fromResponse > 0 && staleness <= fromResponse * 1000)
        || (fromRequest > 0 && staleness <= fromRequest * 1000);
  }

  static boolean isErrorStatus(int status) {
    return status == 500 || status == 502 || status == 503 || status == 504;
  }
}
