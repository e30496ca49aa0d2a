package dev.harp.cache;

import java.util.List;

/**
 * One stored response (one variant of a resource), with what the hit path needs precomputed at store time so a hit
 * parses nothing. Immutable: the near cache hands the same instance to every event loop. {@code body} is never
 * written after construction (records cannot hold a read-only array; nothing in this package mutates it).
 *
 * @param headers         end-to-end fields as received, minus what HARP recomputes (Age, Content-Length, Via) and
 *                        fields a directive kept out of storage (private="...")
 * @param requestTime     epoch ms the request that produced it was sent (RFC 9111 §4.2.3 request_time)
 * @param responseTime    epoch ms its head arrived (response_time)
 * @param dateValue       its Date in epoch ms (response_time when absent)
 * @param ageValue        its Age field in seconds (0 when absent)
 * @param lifetimeMillis  freshness lifetime (§4.2.1), heuristic included (§4.2.2)
 * @param mustRevalidate  must-revalidate, proxy-revalidate or s-maxage: never served stale (§5.2.2.2, .8, .10)
 * @param noCache         unqualified no-cache: validated on every use (§5.2.2.4)
 * @param noCacheFields   qualified no-cache: these fields are left out when served without validation
 * @param staleWhileRevalidate seconds from the response's directive, -1 when absent (RFC 5861 §3)
 * @param staleIfError    seconds from the response's directive, -1 when absent (RFC 5861 §4)
 * @param immutable       RFC 8246: a client's reload (max-age=0) does not force validation while fresh
 * @param varyNames       lower-case field names from Vary, empty when the response has none
 * @param varyValues      the request's normalised values for {@code varyNames} ({@link CacheKeys#ABSENT} for a field the request lacked)
 */
public record StoredResponse(int status, List<HeaderField> headers, byte[] body, long requestTime,
                             long responseTime, long dateValue, long ageValue, long lifetimeMillis,
                             boolean mustRevalidate, boolean noCache, List<String> noCacheFields,
                             long staleWhileRevalidate, long staleIfError, boolean immutable, String etag,
                             String lastModified, List<String> varyNames, List<String> varyValues) {

  /** RFC 9111 §4.2.3, in milliseconds. */
  public long currentAge(long now) {
    long apparentAge = Math.max(0, responseTime - dateValue);
    long responseDelay = Math.max(0, responseTime - requestTime);
    long correctedAgeValue = ageValue * 1000 + responseDelay;
    long correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
    long residentTime = Math.max(0, now - responseTime);
    return correctedInitialAge + residentTime;
  }

  /** Remaining freshness in ms; negative once stale (by that much). */
  public long ttl(long now) {
    return lifetimeMillis - currentAge(now);
  }

  public boolean hasValidator() {
    return etag != null || lastModified != null;
  }

  public String header(String name) {
    for (HeaderField h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }

  /** Same selecting header names and values (RFC 9111 §4.1): a new response replaces this variant. */
  public boolean sameVariantAs(StoredResponse other) {
    return varyNames.equals(other.varyNames) && varyValues.equals(other.varyValues);
  }

  /** The same stored response with its body (a response's head is judged before its body has arrived). */
  public StoredResponse withBody(byte[] newBody) {
    return new StoredResponse(status, headers, newBody, requestTime, responseTime, dateValue, ageValue, lifetimeMillis,
        mustRevalidate, noCache, noCacheFields, staleWhileRevalidate, staleIfError, immutable, etag, lastModified,
        varyNames, varyValues);
  }
}
