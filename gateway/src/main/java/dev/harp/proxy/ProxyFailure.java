package dev.harp.proxy;

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
public enum ProxyFailure {
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
  /** The circuit breakers of every remaining endpoint are open; answered with Retry-After. */
  CIRCUIT_OPEN(503, "circuit-open", "Service Unavailable"),
  REQUEST_BODY_TOO_LARGE(413, "request-body-too-large", "Content Too Large"),
  BAD_REQUEST(400, "bad-request", "Bad Request"),
  CLIENT_ABORTED(499, "client-aborted", "Client Closed Request"),
  SHUTTING_DOWN(503, "shutting-down", "Service Unavailable"),
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

  public String type() {
    return TYPE_BASE + slug;
  }

  /**
   * Classifies a failure to get a connection to an endpoint. Any timeout here is the connect timeout: Vert.x 5
   * reports "no connection within connectTimeout" as a plain timeout, not as Netty's ConnectTimeoutException.
   */
  public static ProxyFailure ofConnect(Throwable t) {
    if (t instanceof TimeoutException || t instanceof io.vertx.core.impl.NoStackTraceTimeoutException
        || t instanceof io.netty.handler.ssl.SslHandshakeTimeoutException) {
      return UPSTREAM_CONNECT_TIMEOUT;
    }
    return ofUpstream(t, false);
  }

  /**
   * Classifies an upstream-side error.
   *
   * @param responseStarted whether the upstream response head had arrived (an idle timeout then, not a response one)
   */
  public static ProxyFailure ofUpstream(Throwable t, boolean responseStarted) {
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
    return UPSTREAM_CONNECT_FAILED;
  }
}
