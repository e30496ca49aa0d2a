package dev.harp.cache;

import dev.harp.engine.ProxyFailure;
import dev.harp.spi.FailureType;

/**
 * The failures the cache answers with. They are HARP's own kinds (problem types, metrics and logs as the engine's),
 * so they come from HARP's one catalogue of failures, {@link ProxyFailure}, as auth's and ban's do, rather than being
 * restated here.
 */
final class CacheFailures {

  /** 504: only-if-cached, and nothing stored can be used (RFC 9111 §5.2.1.7). */
  static final FailureType NOT_CACHED = ProxyFailure.NOT_CACHED.failureType();
  /** 403: PURGE from a network outside {@code purgeAllow}. */
  static final FailureType PURGE_FORBIDDEN = ProxyFailure.PURGE_FORBIDDEN.failureType();
  /** 502: a 304 whose ETag matches no stored response. */
  static final FailureType UPSTREAM_PROTOCOL_ERROR = ProxyFailure.UPSTREAM_PROTOCOL_ERROR.failureType();
  /** 500: a purge that failed in the cluster. */
  static final FailureType INTERNAL_ERROR = ProxyFailure.INTERNAL_ERROR.failureType();
  /** The slug of a client that left: no stale copy stands in for that. */
  static final String CLIENT_ABORTED = ProxyFailure.CLIENT_ABORTED.slug();

  private CacheFailures() {
  }
}
