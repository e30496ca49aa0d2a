package dev.harp.spi;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.util.function.Consumer;

/**
 * One request/response exchange on a proxy, as filters see it. Lives on one event loop: call it only from there
 * (every filter callback does).
 */
public interface Exchange {

  /** @return the proxy's name, as configured */
  String proxyName();

  /** @return the request id: the client's {@code X-Request-Id} if it sent a valid one, else a new one */
  String requestId();

  /** @return the request method */
  HttpMethod method();

  /** @return the request target as the client sent it: path and query */
  String uri();

  /**
   * The request target (path and query) that will be sent upstream, before the endpoint's base path is prepended:
   * the client's {@link #uri()} unless a filter earlier in the pipeline changed it (e.g. auth moving an API key out
   * of the query, or putting the upstream's credentials in; so do not log it).
   *
   * @return the upstream request target
   */
  default String upstreamUri() {
    return uri();
  }

  /**
   * Replaces the request target sent upstream (path and query, e.g. {@code /v2/items?x=1}); the client's
   * {@link #uri()}, and every path rule of HARP's, still see what the client sent. Call in the request phase,
   * before {@link Next#proceed}. The value is sent as given: percent-encode it.
   *
   * @param uri the new target, starting with '/'
   * @throws IllegalArgumentException when it does not start with '/'
   * @throws UnsupportedOperationException when this exchange cannot change its target (a test double); HARP's
   *                                       exchanges always can
   */
  default void upstreamUri(String uri) {
    throw new UnsupportedOperationException("this exchange cannot change its upstream target");
  }

  /** @return the path as the client sent it (still percent-encoded) */
  String path();

  /**
   * @return the path as every path rule of HARP's sees it (percent-decoding, dot segments, {@code ;params}, case
   *     and empty segments resolved), or null when the path has no unambiguous form
   */
  String canonicalPath();

  /** @return the query string without '?', or null when there is none */
  String query();

  /**
   * @return the request's header fields as the client sent them and earlier filters edited them with
   *     {@link #editRequestHeaders} (read only: edit them with that, or what goes upstream with
   *     {@link #editUpstreamHeaders})
   */
  MultiMap headers();

  /**
   * Edits the request's header fields now, in the request phase, as every later filter and the upstream see them
   * (unlike {@link #editUpstreamHeaders}, whose edits only the upstream sees): e.g. auth removes the credentials it
   * took and the identity fields clients must not set, and puts in the identity it established, so that rules, rate
   * limits and the cache after it read that identity, never a spoofed one. Call before {@link Next#proceed}.
   *
   * @param editor edits the request's header fields
   * @throws UnsupportedOperationException when this exchange cannot edit them (a test double); HARP's exchanges
   *                                       always can
   */
  default void editRequestHeaders(Consumer<MultiMap> editor) {
    throw new UnsupportedOperationException("this exchange cannot edit its request header fields");
  }

  /**
   * @return the client's address: the TCP peer, or the address a trusted proxy's {@code X-Forwarded-For} gave,
   *     where the proxy is configured to trust one
   */
  String clientAddress();

  /**
   * The address of the TCP peer, whatever forwarding fields say (unlike {@link #clientAddress}): for a check no
   * client-controlled field may get around, e.g. which networks may purge a cache.
   *
   * @return the peer's IP address as the socket reports it, or null when unknown
   * @throws UnsupportedOperationException when this exchange cannot tell (a test double); HARP's exchanges can
   */
  default String peerAddress() {
    throw new UnsupportedOperationException("this exchange cannot tell its peer's address");
  }

  /** @return whether this is an upgrade (WebSocket) request */
  boolean isUpgrade();

  /**
   * A value another filter attached, or null.
   *
   * @param key the value's key
   * @param <T> its type
   * @return the value, or null
   */
  <T> T get(Attachment<T> key);

  /**
   * Attaches a value for later phases and other filters.
   *
   * @param key   its key
   * @param value the value (null removes it)
   * @param <T>   its type
   */
  <T> void put(Attachment<T> key, T value);

  /**
   * Edits the header fields sent upstream, after HARP built them (hop-by-hop fields removed, forwarding fields
   * added); editors run in pipeline order. E.g. a signature over the final headers, or injected credentials.
   *
   * @param editor edits the upstream request's header fields
   */
  void editUpstreamHeaders(Consumer<MultiMap> editor);

  /**
   * Header fields every response of this exchange carries, whoever answers it (the upstream, the cache, a refusal):
   * e.g. rate-limit state. Set them in the request phase.
   *
   * @return the fields added to the client's response
   */
  MultiMap responseHeaders();

  /**
   * Answers the client locally; the upstream is not called. Content-Length is set from the body.
   *
   * @param status  the status
   * @param headers header fields, or null
   * @param body    the body, or null for none
   */
  void respond(int status, MultiMap headers, Buffer body);

  /**
   * Refuses the exchange with a problem+json answer; counted in metrics and events with the failure's slug.
   *
   * @param failure why
   */
  void reject(Failure failure);

  /**
   * Ends the exchange as failed: answered like {@link #reject}, and logged the way HARP logs its own failed
   * exchanges (logger {@code harp.proxy}, with the request id, proxy, failure and status; info below 500, warn from
   * 500), cause included. For an outcome an operator should read about (an auth check that failed); a refusal by
   * policy, which can come by the thousand a second, is a {@link #reject}. The default only rejects.
   *
   * @param failure why
   * @param cause   what went wrong, for the log only (never sent to the client), or null
   */
  default void fail(Failure failure, Throwable cause) {
    reject(failure);
  }

  /**
   * A GET of this exchange's {@link #upstreamUri} from the upstream, not relayed to the client: e.g. a background
   * revalidation after a cache answered with a stale copy (RFC 5861 stale-while-revalidate). It goes as an attempt
   * of this exchange would: same endpoint choice (health, breakers, maintenance), pool, timeouts, forwarded fields
   * and {@link #editUpstreamHeaders} edits, and its outcome is reported to breakers and outlier detection; a stale
   * pooled connection is resent. It may outlive the exchange. Call on the exchange's event loop; the future
   * completes there.
   *
   * @param headers edits the fetch's header fields last (e.g. puts validators in), or null
   * @param maxBody the most body bytes to buffer: a longer body fails the fetch
   * @return the whole response; failed when no endpoint could take it, or the upstream failed
   */
  default Future<FetchedResponse> fetch(Consumer<MultiMap> headers, long maxBody) {
    return Future.failedFuture(new UnsupportedOperationException("this exchange cannot fetch from the upstream"));
  }

  /** @return whether the exchange has ended (answered, refused, failed, or the client left) */
  boolean isCompleted();
}
