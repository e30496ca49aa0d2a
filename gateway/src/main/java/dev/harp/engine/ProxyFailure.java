package dev.harp.engine;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Every way an exchange can fail, with the status it is answered with. This is the one place that maps failures to
 * HTTP codes; features add their own constants here rather than choosing codes elsewhere.
 */
public enum ProxyFailure implements FailureKind {
  UPSTREAM_CONNECT_FAILED(502, "upstream-connect-failed", "Bad Gateway"),
  UPSTREAM_CLOSED(502, "upstream-closed", "Bad Gateway"),
  UPSTREAM_PROTOCOL_ERROR(502, "upstream-protocol-error", "Bad Gateway"),
  UPSTREAM_CONNECT_TIMEOUT(504, "upstream-connect-timeout", "Gateway Timeout", "connect"),
  /** Time to first byte: the request was sent, no response head came within {@code timeouts.response}. */
  UPSTREAM_RESPONSE_TIMEOUT(504, "upstream-response-timeout", "Gateway Timeout", "firstByte"),
  UPSTREAM_IDLE_TIMEOUT(504, "upstream-idle-timeout", "Gateway Timeout", "idle"),
  /** {@code timeouts.deadline}: the whole exchange, every retry and back-off included, took too long. */
  REQUEST_DEADLINE_EXCEEDED(504, "request-deadline-exceeded", "Gateway Timeout", "deadline"),
  /** Every endpoint that could take the request is down (health check, maintenance, outlier ejection). */
  NO_UPSTREAM(503, "no-upstream-available", "Service Unavailable"),
  /** Auth: no credentials, or credentials the auth endpoint, the API-key list or the admin users refuse. */
  UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
  /** Auth: a known identity without access to this path (route rule), or a cross-site admin request. */
  FORBIDDEN(403, "forbidden", "Forbidden"),
  /** Auth: the auth endpoint failed or timed out, or checks are saturated; never an open door. */
  AUTH_UNAVAILABLE(503, "auth-unavailable", "Service Unavailable"),
  /** The circuit breakers of every remaining endpoint are open; answered with Retry-After. */
  CIRCUIT_OPEN(503, "circuit-open", "Service Unavailable"),
  REQUEST_BODY_TOO_LARGE(413, "request-body-too-large", "Content Too Large"),
  BAD_REQUEST(400, "bad-request", "Bad Request"),
  URI_TOO_LONG(414, "uri-too-long", "URI Too Long"),
  REQUEST_HEADER_FIELDS_TOO_LARGE(431, "request-header-fields-too-large", "Request Header Fields Too Large"),
  REQUEST_HEADER_TIMEOUT(408, "request-header-timeout", "Request Timeout"),
  HTTP_VERSION_NOT_SUPPORTED(505, "http-version-not-supported", "HTTP Version Not Supported"),
  CLIENT_ABORTED(499, "client-aborted", "Client Closed Request"),
  SHUTTING_DOWN(503, "shutting-down", "Service Unavailable"),
  /** The cache: only-if-cached with nothing usable stored (RFC 9111 §5.2.1.7 says 504). */
  NOT_CACHED(504, "not-cached", "Gateway Timeout"),
  /** The cache: PURGE from a client outside the proxy's cache.purgeAllow networks. */
  PURGE_FORBIDDEN(403, "purge-forbidden", "Forbidden"),
  /** Over a rate limit ({@code dev.harp.ratelimit}); sent with Retry-After and the RateLimit headers. */
  RATE_LIMITED(429, "rate-limited", "Too Many Requests"),
  /** The cluster could not decide a rate limit in time and the policy says {@code onClusterFailure: deny}. */
  RATE_LIMIT_UNAVAILABLE(503, "rate-limit-unavailable", "Service Unavailable"),
  /** The client is banned ({@code dev.harp.ban}); {@code ban.status} may answer it with another 4xx. */
  BANNED(403, "banned", "Forbidden"),
  INTERNAL_ERROR(500, "internal-error", "Internal Server Error");

  /** Problem types are URIs (RFC 9457); they resolve to the README's error table. */
  public static final String TYPE_BASE = "https://harp.dev/problems/";

  public final int status;
  public final String slug;
  public final String title;
  /** Which timeout fired ({@code connect}, {@code firstByte}, {@code idle}, {@code deadline}); null otherwise. */
  public final String timeout;

  ProxyFailure(int status, String slug, String title) {
    this(status, slug, title, null);
  }

  ProxyFailure(int status, String slug, String title, String timeout) {
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.timeout = timeout;
  }

  @Override
  public String type() {
    return TYPE_BASE + slug;
  }

  @Override
  public String slug() {
    return slug;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public String title() {
    return title;
  }

  /**
   * Whether the connection must be closed after answering: once a request's framing or head was refused, or its
   * body was left unread, the bytes that follow on the connection cannot be trusted to start a new request.
   */
  public boolean closesConnection() {
    return switch (status) {
      case 400, 408, 413, 414, 431, 505 -> true;
      default -> false;
    };
  }

  /**
   * Classifies a failure to get a connection to an endpoint. Any timeout here is the connect timeout: Vert.x 5
   * reports "no connection within connectTimeout" as a plain timeout, not as Netty's ConnectTimeoutException.
   */
  /**
   * A filter's failure type as a failure kind: HARP's own where the slug is one of HARP's (so a filter that answers
   * {@code circuit-open} gets HARP's logging and metrics for it), else the filter's.
   */
  /** Looked up on every refusal a filter makes (a 429 storm), so a map, not a scan of the values. */
  private static final java.util.Map<String, ProxyFailure> BY_SLUG = bySlug();

  private static java.util.Map<String, ProxyFailure> bySlug() {
    java.util.Map<String, ProxyFailure> m = new java.util.HashMap<>();
    for (ProxyFailure f : values()) {
      m.put(f.slug(), f);
    }
    return java.util.Map.copyOf(m);
  }

  public static FailureKind kindOf(dev.harp.spi.FailureType type) {
    ProxyFailure own = BY_SLUG.get(type.slug());
    return own != null && own.status == type.status() ? own : new FilterFailureKind(type);
  }


  /** HARP's failure kind with this problem-type slug, or null when none has it. */
  public static ProxyFailure ofSlug(String slug) {
    return slug == null ? null : BY_SLUG.get(slug);
  }


  /** The failure type of one of HARP's kinds, for filters that answer with it. */
  public dev.harp.spi.FailureType failureType() {
    return new dev.harp.spi.FailureType(status == 499 ? 400 : status, slug(), title);
  }

  public static ProxyFailure ofConnect(Throwable t) {
    if (t instanceof TimeoutException || t instanceof io.vertx.core.impl.NoStackTraceTimeoutException
        || t instanceof io.netty.handler.ssl.SslHandshakeTimeoutException) {
      return UPSTREAM_CONNECT_TIMEOUT;
    }
    return classify(t, false, UPSTREAM_CONNECT_FAILED);
  }

  /**
   * Classifies an upstream-side error on a connection HARP already had. An I/O error there ("Connection reset by
   * peer": the upstream's kernel answering for a socket its process closed or lost) is the upstream closing the
   * connection, not a failure to connect; calling it one hid the stale pooled connections of a dead endpoint from
   * the stale-connection resend.
   *
   * @param responseStarted whether the upstream response head had arrived (an idle timeout then, not a response one)
   */
  public static ProxyFailure ofUpstream(Throwable t, boolean responseStarted) {
    return classify(t, responseStarted, UPSTREAM_CLOSED);
  }

  private static ProxyFailure classify(Throwable t, boolean responseStarted, ProxyFailure otherIoFailure) {
    if (t instanceof ConnectTimeoutException) {
      return UPSTREAM_CONNECT_TIMEOUT;
    }
    if (t instanceof TimeoutException || t instanceof io.vertx.core.impl.NoStackTraceTimeoutException) {
      return responseStarted ? UPSTREAM_IDLE_TIMEOUT : UPSTREAM_RESPONSE_TIMEOUT;
    }
    if (t instanceof ConnectException || t instanceof UnknownHostException) {
      return UPSTREAM_CONNECT_FAILED;
    }
    if (t instanceof HttpClosedException || t instanceof ClosedChannelException || t instanceof StreamResetException) {
      return UPSTREAM_CLOSED;
    }
    if (t instanceof io.netty.handler.codec.DecoderException
        || t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
      return UPSTREAM_PROTOCOL_ERROR;
    }
    if (t instanceof java.io.IOException) {
      return otherIoFailure;
    }
    return UPSTREAM_CONNECT_FAILED;
  }
}
