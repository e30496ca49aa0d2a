package dev.harp.engine;

import dev.harp.config.ProxyConfig;
import dev.harp.spi.FetchedResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A filter's own GET of an exchange's target ({@code Exchange.fetch}), outside the client's response (the cache's
 * background revalidation after it already answered with a stale copy). Same endpoint choice, connection pool, timeouts and forwarded headers
 * as the exchange itself; the body is buffered up to a limit, since the caller wants it whole.
 *
 * <p>It is an {@link UpstreamCall} like any attempt, so its outcome reaches the {@link UpstreamPolicy} (breaker,
 * outlier detection): the choice above may have claimed a half-open circuit's single trial, and a trial nobody
 * reports keeps the circuit half-open until the trial times out, then re-opens it though the endpoint answered. A
 * request met by a stale pooled connection is sent again, as a forwarded one is.
 */
final class UpstreamFetch {

  private final ProxyExchange ex;
  private final ProxyRuntime runtime;
  private final UpstreamPolicy policy;
  private final HttpClient client;
  private final Consumer<MultiMap> headerEditor;
  private final long maxBody;
  private final Promise<FetchedResponse> promise = Promise.promise();
  private int staleResends;
  /** Endpoints of calls dropped for a stale pooled connection; null until the first. */
  private List<UpstreamEndpoint> tried;

  private UpstreamFetch(ProxyExchange ex, ProxyRuntime runtime, HttpClient client, Consumer<MultiMap> headerEditor,
                        long maxBody) {
    this.ex = ex;
    this.runtime = runtime;
    this.policy = runtime.upstreamPolicy();
    this.client = client;
    this.headerEditor = headerEditor;
    this.maxBody = maxBody;
  }

  static Future<FetchedResponse> get(ProxyExchange ex, ProxyRuntime runtime, HttpClient client,
                                   Consumer<MultiMap> headerEditor, long maxBody) {
    UpstreamFetch fetch = new UpstreamFetch(ex, runtime, client, headerEditor, maxBody);
    fetch.call(0);
    return fetch.promise.future();
  }

  /** Call number {@code number}: the first, or a resend after a stale pooled connection. */
  private void call(int number) {
    ProxyConfig config = runtime.config();
    // Same choice as a forwarded attempt: health, breakers and maintenance apply to background fetches too.
    UpstreamEndpoint endpoint = policy.select(ex, number, tried == null ? List.of() : tried);
    if (endpoint == null) {
      promise.tryFail(new IllegalStateException("no upstream endpoint available"));
      return;
    }
    // Not the exchange's own call: a fetch may outlive the exchange, and holds its endpoint until it ends.
    UpstreamCall call = new UpstreamCall(ex, policy, endpoint, number);
    // As the forwarded request's target: with auth's query edits (key out, credentials in).
    RequestOptions options = call.options(HttpMethod.GET, ex.upstreamUri(), config.timeouts().connect().toMillis());
    long response = config.timeouts().response().toMillis();
    if (response > 0) {
      options.setIdleTimeout(response);
    }
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        call.failed(ProxyFailure.ofConnect(ar.cause()), false, false);
        fail(call, ar.cause());
        return;
      }
      HttpClientRequest req = ar.result();
      call.request = req;
      call.reused = ex.connections().reused(req.connection());
      ForwardedHeaders.toUpstream(ex.request(), req.headers(), endpoint, config.preserveHost(), ex.requestId());
      req.headers().remove("content-length"); // a GET without a body, whatever the client's request carried
      if (ex.upstreamHeaderEditor() != null) {
        ex.upstreamHeaderEditor().accept(req.headers()); // e.g. the upstream credentials auth injects
      }
      if (headerEditor != null) {
        headerEditor.accept(req.headers());
      }
      req.send().onComplete(rar -> {
        if (rar.succeeded()) {
          call.head(rar.result(), false);
          read(call, rar.result());
          return;
        }
        ProxyFailure failure = ProxyFailure.ofUpstream(rar.cause(), false);
        if (HttpForwarder.staleConnection(failure, call.reused, staleResends, HttpMethod.GET)) {
          // As the forwarder does: a dead pooled connection says nothing about the endpoint; send again, elsewhere
          // where possible, and do not tell the breaker.
          staleResends++;
          runtime.countStaleConnectionResend();
          call.release();
          if (tried == null) {
            tried = new ArrayList<>(2);
          }
          tried.add(endpoint);
          call(number + 1);
          return;
        }
        call.failed(failure, false, true);
        fail(call, rar.cause());
      });
    });
  }

  private void read(UpstreamCall call, HttpClientResponse resp) {
    Buffer body = Buffer.buffer();
    resp.handler(chunk -> {
      if (body.length() + chunk.length() > maxBody) {
        // Our limit, not the endpoint's fault: nothing more to report.
        fail(call, new IllegalStateException("upstream body exceeds " + maxBody + " bytes"));
        call.request.reset();
        return;
      }
      body.appendBuffer(chunk);
    });
    resp.exceptionHandler(t -> {
      if (!promise.future().isComplete()) {
        call.broke(ProxyFailure.ofUpstream(t, true)); // the body broke after a head that was judged already
      }
      fail(call, t);
    });
    resp.endHandler(v -> {
      call.release();
      promise.tryComplete(new FetchedResponse(resp.statusCode(), resp.headers(), body));
    });
  }

  private void fail(UpstreamCall call, Throwable t) {
    call.release();
    promise.tryFail(t);
  }
}
