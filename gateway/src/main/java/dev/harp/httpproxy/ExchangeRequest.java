package dev.harp.httpproxy;

import dev.harp.engine.ProxyExchange;
import dev.harp.engine.ProxyFailure;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * vertx-http-proxy's {@link ProxyRequest} over a HARP exchange: interceptors edit a copy of the request (method,
 * target, header fields, body) and {@link #changes} says what of it goes upstream. The client's body is read only
 * if an interceptor asks for it ({@link Body#stream()}); otherwise it streams upstream as always.
 */
final class ExchangeRequest implements ProxyRequest {

  /** Framing is the forwarder's job: an interceptor's copy of these fields says nothing about the body sent. */
  private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding");

  private final ProxyExchange ex;
  private final MultiMap original;
  private final MultiMap headers;
  private final String originalUri;
  private final BodyStream clientBody;
  private final Body originalBody;
  private HttpMethod method;
  private String uri;
  private Body body;
  private HostAndPort authority;
  /** Ends the response phase of a response made from this request ({@link ProxyResponse#send}). */
  private final Supplier<Future<Void>> sender;

  ExchangeRequest(ProxyExchange ex, long maxBody, Supplier<Future<Void>> sender) {
    this.ex = ex;
    this.sender = sender;
    HttpServerRequest request = ex.request();
    this.original = request.headers();
    this.headers = MultiMap.caseInsensitiveMultiMap().addAll(original);
    this.method = request.method();
    this.originalUri = ex.upstreamUri();
    this.uri = originalUri;
    this.clientBody = hasBody(request) ? new BodyStream(maxBody, () -> read(ex), () -> ex.fail(
        ProxyFailure.REQUEST_BODY_TOO_LARGE, "body exceeds " + maxBody
            + " bytes, the most an http-proxy interceptor's body transform buffers", null)) : BodyStream.empty();
    this.originalBody = Body.body(clientBody, length(request.getHeader(HttpHeaders.CONTENT_LENGTH)),
        request.getHeader(HttpHeaders.CONTENT_TYPE));
    this.body = originalBody;
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return length != null ? length(length) != 0 : request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }

  /** Feeds the client's body into {@link #clientBody}, with the guard's refusals answered as HARP answers them. */
  private void read(ProxyExchange ex) {
    HttpServerRequest request = ex.request();
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue(); // the client sends its body only after a 100, and we want it now
    }
    request.handler(chunk -> {
      Buffer passed = ex.bodyChunkRead(chunk); // as the filters before this stage made it
      if (passed != null && passed.length() > 0) {
        clientBody.push(passed);
      }
    });
    request.endHandler(v -> {
      Buffer tail = ex.bodyEndRead();
      if (ex.isCompleted()) {
        return;
      }
      if (tail != null) {
        clientBody.push(tail);
      }
      clientBody.end();
    });
    request.exceptionHandler(t -> {
      clientBody.fail(t);
      ex.requestFailed(t);
    });
    request.resume();
  }

  static long length(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The method, if an interceptor changed it, else null. */
  HttpMethod changedMethod() {
    return method == ex.request().method() ? null : method;
  }

  /** The target, if an interceptor changed it (with the leading '/' the library's prefix removal may drop). */
  String changedUri() {
    if (uri == null || uri.equals(originalUri)) {
      return null;
    }
    return uri.startsWith("/") ? uri : "/" + uri;
  }

  /** What interceptors did to the header fields, as an edit of HARP's upstream fields; null for nothing. */
  Consumer<MultiMap> headerChanges() {
    Set<String> removed = new HashSet<>();
    for (String name : original.names()) {
      if (!headers.contains(name) && !FRAMING.contains(name.toLowerCase())) {
        removed.add(name);
      }
    }
    Set<String> set = new HashSet<>();
    for (String name : headers.names()) {
      if (!FRAMING.contains(name.toLowerCase()) && !headers.getAll(name).equals(original.getAll(name))) {
        set.add(name);
      }
    }
    String host = authority == null ? null : authority.toString();
    if (removed.isEmpty() && set.isEmpty() && host == null) {
      return null;
    }
    MultiMap values = MultiMap.caseInsensitiveMultiMap();
    set.forEach(n -> values.add(n, headers.getAll(n)));
    return upstream -> {
      removed.forEach(upstream::remove);
      for (String n : values.names()) {
        List<String> v = values.getAll(n);
        upstream.set(n, v);
      }
      if (host != null) {
        upstream.set(HttpHeaders.HOST, host);
      }
    };
  }

  /**
   * The client's body will not be sent (an interceptor set another): read and drop it unless someone reads it
   * already, so the connection can carry the next request.
   */
  void discardClientBody() {
    if (!clientBody.claim()) {
      return;
    }
    HttpServerRequest request = ex.request();
    request.handler(ex::bodyChunkRead);
    request.endHandler(v -> ex.bodyEndRead());
    request.exceptionHandler(ex::requestFailed);
    request.resume();
  }

  /** The client's body, as the stream behind {@link #originalBody}. */
  BodyStream clientBody() {
    return clientBody;
  }

  /** Whether the body going upstream is the client's, untouched: then it streams as it would without us. */
  boolean bodyUntouched() {
    return body == originalBody && !clientBody.started();
  }

  Body originalBody() {
    return originalBody;
  }

  @Override
  public HttpVersion version() {
    return ex.request().version();
  }

  @Override
  public String absoluteURI() {
    return ex.request().absoluteURI();
  }

  @Override
  public HttpMethod getMethod() {
    return method;
  }

  @Override
  public ProxyRequest setMethod(HttpMethod method) {
    this.method = method;
    return this;
  }

  @Override
  public String getURI() {
    return uri;
  }

  @Override
  public ProxyRequest setURI(String uri) {
    this.uri = uri;
    return this;
  }

  @Override
  public Body getBody() {
    return body;
  }

  @Override
  public ProxyRequest setBody(Body body) {
    this.body = body;
    return this;
  }

  @Override
  public ProxyRequest setAuthority(HostAndPort authority) {
    this.authority = java.util.Objects.requireNonNull(authority, "authority");
    return this;
  }

  @Override
  public HostAndPort getAuthority() {
    return authority;
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  @Override
  public ProxyRequest putHeader(CharSequence name, CharSequence value) {
    headers.set(name, value);
    return this;
  }

  /** HARP sends the upstream request itself (endpoint choice, retries, breakers): continue with sendRequest. */
  @Override
  public Future<ProxyResponse> send(HttpClientRequest request) {
    return Future.failedFuture(new UnsupportedOperationException(
        "ProxyRequest.send is not available in HARP: continue with ProxyContext.sendRequest()"));
  }

  /** As vertx-http-proxy's: the request will not be sent as is (a local answer follows). */
  @Override
  public ProxyRequest release() {
    body = null;
    headers.clear();
    return this;
  }

  @Override
  public HttpServerRequest proxiedRequest() {
    return ex.request();
  }

  /** A fresh response for a local answer: 200, no header fields, no body. */
  @Override
  public ProxyResponse response() {
    return ExchangeResponse.local(this, sender);
  }
}
