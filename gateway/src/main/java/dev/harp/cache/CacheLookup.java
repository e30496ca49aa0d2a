package dev.harp.cache;

/** What a lookup found for a request, decided before anything is sent (RFC 9111 §4). */
public sealed interface CacheLookup {

  /**
   * Nothing stored can be used or validated.
   *
   * @param fwd the RFC 9211 fwd reason: uri-miss (nothing stored for the URL) or vary-miss (no variant matches)
   */
  record Miss(String fwd) implements CacheLookup {
  }

  /**
   * Serve {@code stored} without going to the upstream.
   *
   * @param ageMillis current age (§4.2.3), for the Age field
   * @param ttlMillis remaining freshness, negative when served stale
   * @param detail    why a stale response is allowed (max-stale, stale-while-revalidate), or null when fresh
   * @param refresh   revalidate in the background after answering (stale-while-revalidate, RFC 5861 §3)
   */
  record Usable(StoredResponse stored, long ageMillis, long ttlMillis, String detail, boolean refresh)
      implements CacheLookup {
  }

  /**
   * A stored response exists but must be validated with the upstream first (§4.3.1).
   *
   * @param fwd stale (stale or no-cache response) or request (the request's directives demand it)
   */
  record Validate(StoredResponse stored, long ageMillis, long ttlMillis, String fwd) implements CacheLookup {
  }
}
