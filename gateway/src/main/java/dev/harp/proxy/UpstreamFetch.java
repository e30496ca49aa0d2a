package dev.harp.proxy;

import dev.harp.config.ProxyConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.function.Consumer;

/**
 * A feature's own GET of an exchange's target, outside the client's response (the cache's background revalidation
 * after it already answered with a stale copy). Same endpoint choice, connection pool, timeouts and forwarded headers
 * as the exchange itself; the body is buffered up to a limit, since the caller wants it whole.
 */
final class UpstreamFetch {

  private final ProxyExchange ex;
  private final ProxyRuntime runtime;
  private final long maxBody;
  private final Promise<UpstreamReply> promise = Promise.promise();
  private UpstreamEndpoint endpoint;

  private UpstreamFetch(ProxyExchange ex, ProxyRuntime runtime, long maxBody) {
    this.ex = ex;
    this.runtime = runtime;
    this.maxBody = maxBody;
  }

  static Future<UpstreamReply> get(ProxyExchange ex, ProxyRuntime runtime, HttpClient client,
                                   Consumer<MultiMap> headerEditor, long maxBody) {
    return new UpstreamFetch(ex, runtime, maxBody).start(client, headerEditor);
  }

  private Future<UpstreamReply> start(HttpClient client, Consumer<MultiMap> headerEditor) {
    ProxyConfig config = runtime.config();
    // Same choice as a first attempt: health, breakers and maintenance apply to background fetches too.
    endpoint = runtime.upstreamPolicy().select(ex, 0, java.util.List.of());
    if (endpoint == null) {
      return Future.failedFuture(new IllegalStateException("no upstream endpoint available"));
    }
    endpoint.acquired();
    String uri = ex.upstreamUri(); // as the forwarded request: with auth's query edits (key out, credentials in)
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(endpoint.host())
        .setPort(endpoint.port())
        .setSsl(endpoint.tls())
        .setURI(endpoint.basePath().isEmpty() ? uri : endpoint.basePath() + uri)
        .setConnectTimeout(config.timeouts().connect().toMillis());
    long response = config.timeouts().response().toMillis();
    if (response > 0) {
      options.setIdleTimeout(response);
    }
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      HttpClientRequest req = ar.result();
      ForwardedHeaders.toUpstream(ex.request(), req.headers(), endpoint, config.preserveHost(), ex.requestId());
      req.headers().remove("content-length"); // a GET without a body, whatever the client's request carried
      if (ex.upstreamHeaderEditor() != null) {
        ex.upstreamHeaderEditor().accept(req.headers()); // e.g. the upstream credentials auth injects
      }
      if (headerEditor != null) {
        headerEditor.accept(req.headers());
      }
      req.send().onComplete(rar -> {
        if (rar.failed()) {
          fail(rar.cause());
        } else {
          read(req, rar.result());
        }
      });
    });
    return promise.future();
  }

  private void read(HttpClientRequest req, HttpClientResponse resp) {
    Buffer body = Buffer.buffer();
    resp.handler(chunk -> {
      if (body.length() + chunk.length() > maxBody) {
        fail(new IllegalStateException("upstream body exceeds " + maxBody + " bytes"));
        req.reset();
        return;
      }
      body.appendBuffer(chunk);
    });
    resp.exceptionHandler(this::fail);
    resp.endHandler(v -> {
      release();
      promise.tryComplete(new UpstreamReply(resp.statusCode(), resp.headers(), body));
    });
  }

  private void fail(Throwable t) {
    release();
    promise.tryFail(t);
  }

  private void release() {
    if (endpoint != null) {
      endpoint.released();
      endpoint = null;
    }
  }
}
