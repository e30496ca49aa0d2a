package dev.harp.cache;

/**
 * Builds this cache's member of the {@code Cache-Status} field (RFC 9211): {@code hit} or {@code fwd=<reason>}, with
 * {@code fwd-status}, {@code ttl}, {@code stored}, {@code collapsed} and {@code detail} where they apply. It is
 * appended to whatever the upstream's caches put there (the field lists caches from origin to client, §2).
 */
final class CacheStatus {

  private final StringBuilder sb;

  private CacheStatus(String name) {
    sb = new StringBuilder(48).append(name);
  }

  static CacheStatus of(String name) {
    return new CacheStatus(name);
  }

  CacheStatus hit() {
    sb.append("; hit");
    return this;
  }

  CacheStatus fwd(String reason) {
    sb.append("; fwd=").append(reason);
    return this;
  }

  CacheStatus fwdStatus(int status) {
    sb.append("; fwd-status=").append(status);
    return this;
  }

  /** Remaining freshness in whole seconds, negative when stale (RFC 9211 §2.4). */
  CacheStatus ttl(long ttlMillis) {
    sb.append("; ttl=").append(Math.floorDiv(ttlMillis, 1000));
    return this;
  }

  CacheStatus stored() {
    sb.append("; stored");
    return this;
  }

  CacheStatus collapsed() {
    sb.append("; collapsed");
    return this;
  }

  /** RFC 9211 §2.8: an sf-string or token; ours are always tokens like {@code stale-if-error} or {@code private}. */
  CacheStatus detail(String detail) {
    if (detail != null) {
      sb.append("; detail=").append(detail);
    }
    return this;
  }

  /** Appends to an upstream value if there is one. */
  String after(String upstream) {
    return upstream == null || upstream.isBlank() ? sb.toString() : upstream + ", " + sb;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
