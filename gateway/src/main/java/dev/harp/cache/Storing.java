package dev.harp.cache;

import dev.harp.http.HopByHop;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a response may be stored by a shared cache (RFC 9111 §3), and how: which fields, what freshness lifetime
 * (§4.2.1, heuristics §4.2.2), how long the entry is worth keeping. Also freshening a stored response from a 304
 * (§4.3.4, fields updated as §3.2 says).
 */
final class Storing {

  /** RFC 9110 §15.1: statuses cacheable by default (heuristic freshness allowed). */
  static final Set<Integer> HEURISTIC = Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);
  /** Statuses whose semantics this cache implements (for must-understand, RFC 9111 §5.2.2.3). */
  private static final Set<Integer> UNDERSTOOD = Set.of(200, 203, 204, 300, 301, 302, 303, 307, 308, 400, 403, 404,
      405, 410, 414, 500, 501, 502, 503, 504);
  /** Fields HARP recomputes on every response it serves, so storing them would only mislead. */
  private static final Set<String> RECOMPUTED = Set.of("age", "content-length", "via", "x-request-id");

  private Storing() {
  }

  /**
   * Null when the response may be stored, else the reason it may not (reported in Cache-Status detail and in the
   * harp_cache_not_stored_total metric).
   */
  static String refusal(CacheControl request, boolean authorized, int status, MultiMap headers, CacheControl response,
                        CacheSettings settings) {
    if (status < 200 || status == 206 || status == 304) {
      return "status"; // partial and not-modified responses only complete or refresh a stored one (§3.3, §4.3.4)
    }
    if (response.has("must-understand")) {
      if (!UNDERSTOOD.contains(status)) {
        return "must-understand";
      }
    } else if (response.has("no-store")) {
      return "no-store";
    }
    if (request.has("no-store")) {
      return "request-no-store";
    }
    if (response.unqualified("private")) {
      return "private";
    }
    if (authorized && !(response.has("public") || response.has("must-revalidate") || response.has("s-maxage"))) {
      return "authorization"; // §3.5
    }
    if (CacheKeys.varyNames(headers.getAll("vary")).contains("*")) {
      return "vary-star";
    }
    if (!settings.storeSetCookie() && headers.contains("set-cookie")
        && !response.fieldNames("private").contains("set-cookie")
        && !response.fieldNames("no-cache").contains("set-cookie")) {
      return "set-cookie";
    }
    boolean explicit = response.has("public") || response.has("max-age") || response.has("s-maxage")
        || headers.contains("expires");
    if (!explicit && !HEURISTIC.contains(status)) {
      return "status";
    }
    return null;
  }

  /** Builds the stored form of a response the caller found storable. */
  static StoredResponse build(int status, MultiMap headers, byte[] body, long requestTime, long responseTime,
                              MultiMap requestHeaders, CacheSettings settings) {
    CacheControl cc = CacheControl.parse(headers.getAll("cache-control"));
    List<String> varyNames = CacheKeys.varyNames(headers.getAll("vary"));
    List<String> varyValues = CacheKeys.varyValues(varyNames, requestHeaders);
    return describe(status, storedFields(headers, cc), body, requestTime, responseTime, parseAge(headers.get("age")),
        cc, varyNames, varyValues, settings);
  }

  /**
   * RFC 9111 §4.3.4 / §3.2: the 304's fields replace the stored ones of the same name (Content-Length excepted, and
   * what §3.1 keeps out of storage); request and response times become the validation's. A Set-Cookie is kept out
   * unless {@code storeSetCookie}, as it keeps a 200 carrying one out: it is meant for the client whose request
   * validated, not for every later hit ({@link #cookiesForValidator}).
   */
  static StoredResponse freshen(StoredResponse stored, MultiMap notModified, long requestTime, long responseTime,
                                CacheSettings settings) {
    CacheControl newCc = CacheControl.parse(notModified.getAll("cache-control"));
    List<HeaderField> update = storedFields(notModified, newCc);
    if (!settings.storeSetCookie()) {
      update = update.stream().filter(h -> !h.name().equalsIgnoreCase("set-cookie")).toList();
    }
    List<HeaderField> merged = new ArrayList<>();
    for (HeaderField h : stored.headers()) {
      if (update.stream().noneMatch(u -> u.name().equalsIgnoreCase(h.name()))) {
        merged.add(h);
      }
    }
    merged.addAll(update);
    MultiMap all = MultiMap.caseInsensitiveMultiMap();
    merged.forEach(h -> all.add(h.name(), h.value()));
    CacheControl cc = CacheControl.parse(all.getAll("cache-control"));
    return describe(stored.status(), List.copyOf(merged), stored.body(), requestTime, responseTime,
        parseAge(notModified.get("age")), cc, stored.varyNames(), stored.varyValues(), settings);
  }

  /** The 304's cookies that {@link #freshen} kept out of the stored response: they go to this client only. */
  static List<String> cookiesForValidator(MultiMap notModified, CacheSettings settings) {
    return settings.storeSetCookie() ? List.of() : notModified.getAll("set-cookie");
  }

  private static StoredResponse describe(int status, List<HeaderField> fields, byte[] body, long requestTime,
                                         long responseTime, long age, CacheControl cc, List<String> varyNames,
                                         List<String> varyValues, CacheSettings settings) {
    MultiMap all = MultiMap.caseInsensitiveMultiMap();
    fields.forEach(h -> all.add(h.name(), h.value()));
    long date = HttpDates.parse(all.get("date"));
    long dateValue = date < 0 ? responseTime : date;
    return new StoredResponse(status, fields, body, requestTime, responseTime, dateValue, age,
        lifetime(status, cc, all, dateValue, settings),
        cc.has("must-revalidate") || cc.has("proxy-revalidate") || cc.has("s-maxage"),
        cc.unqualified("no-cache"), cc.fieldNames("no-cache"),
        cc.seconds("stale-while-revalidate"), cc.seconds("stale-if-error"), cc.has("immutable"),
        all.get("etag"), all.get("last-modified"), varyNames, varyValues);
  }

  /** RFC 9111 §4.2.1 for a shared cache: s-maxage, then max-age, then Expires, then a heuristic (§4.2.2). */
  static long lifetime(int status, CacheControl cc, MultiMap headers, long dateValue, CacheSettings settings) {
    long sMaxAge = cc.seconds("s-maxage");
    if (sMaxAge >= 0) {
      return sMaxAge * 1000;
    }
    long maxAge = cc.seconds("max-age");
    if (maxAge >= 0) {
      return maxAge * 1000;
    }
    List<String> expires = headers.getAll("expires");
    if (!expires.isEmpty()) {
      if (expires.stream().distinct().count() > 1) {
        return 0; // conflicting copies: stale (§4.2.1)
      }
      long at = HttpDates.parse(expires.get(0));
      return at < 0 ? 0 : Math.max(0, at - dateValue); // invalid, e.g. "0", is in the past (§5.3)
    }
    if (!(HEURISTIC.contains(status) || cc.has("public")) || settings.heuristicFraction() <= 0) {
      return 0;
    }
    long lastModified = HttpDates.parse(headers.get("last-modified"));
    if (lastModified < 0 || lastModified > dateValue) {
      return 0;
    }
    long heuristic = (long) ((dateValue - lastModified) * settings.heuristicFraction());
    return Math.min(heuristic, settings.heuristicMax().toMillis());
  }

  /**
   * How long the entry is worth keeping: its remaining freshness, plus the time it can still be used stale
   * (stale-while-revalidate, stale-if-error) or revalidated cheaply (keepStale, when it has a validator); at most
   * maxTtl. Hazelcast drops it after that on its own.
   */
  static long retention(StoredResponse r, long now, CacheSettings settings) {
    long fresh = Math.max(0, r.ttl(now));
    long swr = r.staleWhileRevalidate() >= 0 ? r.staleWhileRevalidate() * 1000
        : settings.staleWhileRevalidate().toMillis();
    long sie = r.staleIfError() >= 0 ? r.staleIfError() * 1000 : settings.staleIfError().toMillis();
    long keep = r.hasValidator() ? settings.keepStale().toMillis() : 0;
    long extra = r.mustRevalidate() ? keep : Math.max(keep, Math.max(swr, sie));
    return Math.min(settings.maxTtl().toMillis(), fresh + extra);
  }

  /** End-to-end fields worth storing: not hop-by-hop (§3.1), not recomputed by HARP, not private="..." ones. */
  static List<HeaderField> storedFields(MultiMap headers, CacheControl cc) {
    List<String> connectionNamed = HopByHop.namedByConnection(headers);
    List<String> privateFields = cc.fieldNames("private");
    List<HeaderField> out = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      String lower = h.getKey().toLowerCase(java.util.Locale.ROOT);
      if (HopByHop.isHopByHop(lower) || connectionNamed.contains(lower) || RECOMPUTED.contains(lower)
          || privateFields.contains(lower)) {
        continue;
      }
      out.add(new HeaderField(h.getKey(), h.getValue()));
    }
    return List.copyOf(out);
  }

  private static long parseAge(String v) {
    if (v == null) {
      return 0;
    }
    try {
      return Math.max(0, Math.min(Long.parseLong(v.trim()), CacheControl.MAX_DELTA));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
