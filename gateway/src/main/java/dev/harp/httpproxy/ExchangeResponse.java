package dev.harp.httpproxy;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * vertx-http-proxy's {@link ProxyResponse}: the upstream's response head as the client would get it (a copy of the
 * client's header fields, which interceptors edit), or a local answer an interceptor builds. {@link #send()} ends
 * the response phase, as in the library.
 */
final class ExchangeResponse implements ProxyResponse {

  private final ExchangeRequest request;
  private final MultiMap headers;
  /** The upstream's body, null for a local answer. */
  private final BodyStream upstreamBody;
  private final Body originalBody;
  private final int upstreamStatus;
  private int status;
  private String statusMessage;
  private Body body;
  /** Ends the response phase ({@link #send}). */
  private final Supplier<Future<Void>> sender;

  private ExchangeResponse(ExchangeRequest request, int status, MultiMap headers, BodyStream upstreamBody,
                           Supplier<Future<Void>> sender) {
    this.request = request;
    this.sender = sender;
    this.upstreamStatus = status;
    this.status = status;
    this.headers = headers;
    this.upstreamBody = upstreamBody;
    this.originalBody = upstreamBody == null ? null : Body.body(upstreamBody,
        ExchangeRequest.length(headers.get(HttpHeaders.CONTENT_LENGTH)), headers.get(HttpHeaders.CONTENT_TYPE));
    this.body = originalBody;
  }

  static ExchangeResponse local(ExchangeRequest request, Supplier<Future<Void>> sender) {
    return new ExchangeResponse(request, 200, MultiMap.caseInsensitiveMultiMap(), null, sender);
  }

  /** @param clientHeaders a copy of what the client would get */
  static ExchangeResponse upstream(ExchangeRequest request, int status, MultiMap clientHeaders, BodyStream body,
                                   Supplier<Future<Void>> sender) {
    return new ExchangeResponse(request, status, clientHeaders, body, sender);
  }

  boolean fromUpstream() {
    return upstreamBody != null;
  }

  BodyStream upstreamBody() {
    return upstreamBody;
  }

  /** Whether the upstream's body goes to the client untouched: then it can stream. */
  boolean bodyUntouched() {
    return upstreamBody != null && body == originalBody && !upstreamBody.started();
  }

  boolean bodyIsOriginal() {
    return upstreamBody != null && body == originalBody;
  }

  boolean statusChanged() {
    return status != upstreamStatus || statusMessage != null;
  }

  @Override
  public ProxyRequest request() {
    return request;
  }

  @Override
  public int getStatusCode() {
    return status;
  }

  @Override
  public ProxyResponse setStatusCode(int sc) {
    this.status = sc;
    return this;
  }

  @Override
  public String getStatusMessage() {
    return statusMessage;
  }

  @Override
  public ProxyResponse setStatusMessage(String statusMessage) {
    this.statusMessage = statusMessage;
    return this;
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  @Override
  public ProxyResponse putHeader(CharSequence name, CharSequence value) {
    headers.set(name, value);
    return this;
  }

  @Override
  public Body getBody() {
    return body;
  }

  @Override
  public ProxyResponse setBody(Body body) {
    this.body = body;
    return this;
  }

  /** HARP relays the upstream response itself; the client response object is not handed out. */
  @Override
  public HttpClientResponse proxiedResponse() {
    return null;
  }

  @Override
  public boolean publicCacheControl() {
    return cacheControl().contains("public");
  }

  /** Milliseconds from {@code max-age} of a public response, -1 otherwise (the library's meaning, without Expires). */
  @Override
  public long maxAge() {
    String cc = cacheControl();
    if (!cc.contains("public")) {
      return -1;
    }
    for (String directive : cc.split(",")) {
      String d = directive.trim();
      if (d.startsWith("max-age=")) {
        try {
          long seconds = Long.parseLong(d.substring("max-age=".length()).replace("\"", ""));
          return seconds > 0 ? seconds * 1000 : -1;
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private String cacheControl() {
    String cc = headers.get(HttpHeaders.CACHE_CONTROL);
    return cc == null ? "" : cc.toLowerCase(Locale.ROOT);
  }

  @Override
  public String etag() {
    return headers.get(HttpHeaders.ETAG);
  }

  /** Ends the response phase now, skipping the response phase of interceptors not yet walked (as in the library). */
  @Override
  public Future<Void> send() {
    return sender.get();
  }

  /** As vertx-http-proxy's: drops the upstream's header fields and body (a different answer follows). */
  @Override
  public ProxyResponse release() {
    if (upstreamBody != null) {
      body = null;
      headers.clear();
    }
    return this;
  }
}
