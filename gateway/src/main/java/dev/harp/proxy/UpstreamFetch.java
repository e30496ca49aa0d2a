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
 *
 * <p>Its outcome is reported to the {@link UpstreamPolicy} like any attempt's (breaker, outlier detection): the
 * choice above may have claimed a half-open circuit's single trial, and a trial nobody reports keeps the circuit
 * half-open until the trial times out, then re-opens it though the endpoint answered.
 */
final class UpstreamFetch {

  private final ProxyExchange ex;
  private final ProxyRuntime runtime;
  private final long maxBody;
  private final Promise<UpstreamReply> promise = Promise.promise();
  private UpstreamEndpoint endpoint;
  /** The endpoint, kept for reporting after {@link #release}. */
  private UpstreamEndpoint chosen;

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
    chosen = endpoint;
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
        report(ProxyFailure.ofConnect(ar.cause()), false);
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
          report(ProxyFailure.ofUpstream(rar.cause(), false), true);
          fail(rar.cause());
        } else {
          runtime.upstreamPolicy().onResponse(ex, chosen, 0, false, rar.result());
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
        // Our limit, not the endpoint's fault: nothing more to report.
        fail(new IllegalStateException("upstream body exceeds " + maxBody + " bytes"));
        req.reset();
        return;
      }
      body.appendBuffer(chunk);
    });
    resp.exceptionHandler(t -> {
      if (!promise.future().isComplete()) {
        report(ProxyFailure.ofUpstream(t, true), true); // the body broke after a head that was judged already
      }
      fail(t);
    });
    resp.endHandler(v -> {
      release();
      promise.tryComplete(new UpstreamReply(resp.statusCode(), resp.headers(), body));
    });
  }

  private void report(ProxyFailure failure, boolean sent) {
    runtime.upstreamPolicy().onFailure(ex, chosen, 0, false, failure, sent);
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
