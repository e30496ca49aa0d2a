package dev.harp.engine;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 Upgrade (WebSocket, or any other protocol) tunnelled end to end: the upgrade request goes to the
 * upstream; on 101 both connections become plain byte pipes with back-pressure, so frames, extensions and close
 * handshakes pass untouched. Any other answer is relayed as a normal response. The {@link UpstreamPolicy} chooses
 * the endpoint (consistent hashing keeps a client's WebSocket on one endpoint) and sees the outcome, but an upgrade
 * makes a single attempt: its request is not replayable once sent.
 */
final class UpgradeTunnel {

  private final ProxyExchange ex;
  private final ProxyRuntime runtime;
  private final HttpServerRequest request;
  private final UpstreamPolicy policy;
  private UpstreamCall call;

  private UpgradeTunnel(ProxyExchange ex, ProxyRuntime runtime) {
    this.ex = ex;
    this.runtime = runtime;
    this.request = ex.request();
    this.policy = runtime.upstreamPolicy();
  }

  static boolean isUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader("upgrade");
    String connection = request.getHeader("connection");
    return upgrade != null && connection != null && connection.toLowerCase().contains("upgrade")
        && !upgrade.equalsIgnoreCase("h2c");
  }

  static void open(ProxyExchange ex, ProxyRuntime runtime, HttpClient client) {
    new UpgradeTunnel(ex, runtime).start(client);
  }

  private void start(HttpClient client) {
    UpstreamEndpoint endpoint = policy.select(ex, 0, List.of());
    if (endpoint == null) {
      UpstreamPolicy.Unavailable why = policy.unavailable(ex);
      ex.fail(why.failure(), why.detail(), null, why.retryAfterSeconds());
      return;
    }
    call = ex.call(policy, endpoint, 0);
    RequestOptions options = call.options(request.method(), ex.upstreamUri(),
        runtime.config().timeouts().connect().toMillis());
    ex.upstreamSent();
    client.request(options).onComplete(this::onUpstreamRequest);
  }

  private void onUpstreamRequest(AsyncResult<HttpClientRequest> ar) {
    if (ar.failed()) {
      failed(ProxyFailure.ofConnect(ar.cause()), ar.cause(), false);
      return;
    }
    HttpClientRequest upstream = ar.result();
    ForwardedHeaders.toUpstream(request, upstream.headers(), call.endpoint, runtime.config().preserveHost(),
        ex.requestId());
    if (ex.upstreamHeaderEditor() != null) {
      ex.upstreamHeaderEditor().accept(upstream.headers());
    }
    // Upgrade and Connection are hop-by-hop, yet they are the request here.
    upstream.putHeader("Upgrade", request.getHeader("upgrade"));
    upstream.putHeader("Connection", "Upgrade");
    long response = runtime.config().timeouts().response().toMillis();
    if (response > 0) {
      upstream.idleTimeout(response);
    }
    // After the 101 the request object only sees the tunnel's end ("connection closed"), which the close handlers
    // already handle; without a handler Vert.x would log it at ERROR for every WebSocket that ends.
    upstream.exceptionHandler(t -> { });
    upstream.connect().onComplete(this::onUpstreamResponse);
  }

  private void onUpstreamResponse(AsyncResult<HttpClientResponse> ar) {
    if (ar.failed()) {
      failed(ProxyFailure.ofUpstream(ar.cause(), false), ar.cause(), true);
      return;
    }
    ex.upstreamHeadArrived();
    HttpClientResponse upstreamResponse = ar.result();
    call.head(upstreamResponse, false); // one attempt only: the verdict cannot be a retry we could act on
    HttpServerResponse response = request.response();
    if (upstreamResponse.statusCode() != 101) {
      relayRefusal(upstreamResponse, response);
      return;
    }
    for (Map.Entry<String, String> h : upstreamResponse.headers()) {
      response.headers().add(h.getKey(), h.getValue());
    }
    response.headers().set("Via", ForwardedHeaders.VIA).set(RequestIds.HEADER, ex.requestId());
    NetSocket upstreamSocket = upstreamResponse.netSocket();
    // The upstream may speak first (a greeting frame) before the client side is converted; hold its bytes.
    upstreamSocket.pause();
    request.toNetSocket().onComplete(s -> {
      if (s.failed()) {
        upstreamSocket.close();
        ex.fail(ProxyFailure.BAD_REQUEST, "upgrade failed: " + s.cause().getMessage(), s.cause());
        return;
      }
      splice(s.result(), upstreamSocket);
    });
  }

  private void failed(ProxyFailure failure, Throwable cause, boolean sent) {
    call.failed(failure, false, sent);
    ex.fail(failure, HttpForwarder.describe(cause), cause);
  }

  private void splice(NetSocket clientSocket, NetSocket upstreamSocket) {
    applyIdleTimeout(clientSocket);
    pipe(clientSocket, upstreamSocket, true);
    pipe(upstreamSocket, clientSocket, false);
    upstreamSocket.resume();
    clientSocket.closeHandler(v -> {
      upstreamSocket.close();
      ex.complete(101, null);
    });
    upstreamSocket.closeHandler(v -> {
      clientSocket.close();
      ex.complete(101, null);
    });
  }

  private void pipe(NetSocket from, NetSocket to, boolean inbound) {
    to.drainHandler(v -> from.resume());
    from.handler(chunk -> {
      if (inbound) {
        ex.countIn(chunk.length());
      } else {
        ex.countOut(chunk.length());
      }
      to.write(chunk);
      if (to.writeQueueFull()) {
        from.pause();
      }
    });
  }

  /**
   * The HTTP server's idle timeout stays on the channel after the upgrade; a tunnel gets its own (none by default,
   * so long-lived WebSockets are not cut at the HTTP keep-alive limit). One handler sees both directions.
   */
  private void applyIdleTimeout(NetSocket clientSocket) {
    if (!(clientSocket instanceof NetSocketInternal internal)) {
      return;
    }
    ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
    if (pipeline.get("idle") != null) {
      pipeline.remove("idle");
    }
    long idle = runtime.config().timeouts().websocketIdle().toMillis();
    if (idle > 0) {
      pipeline.addBefore("handler", "idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
    }
  }

  private void relayRefusal(HttpClientResponse upstreamResponse, HttpServerResponse response) {
    response.setStatusCode(upstreamResponse.statusCode());
    ForwardedHeaders.toClient(upstreamResponse.headers(), response.headers(), ex.requestId());
    upstreamResponse.body().onComplete(body -> {
      if (body.failed()) {
        ex.fail(ProxyFailure.ofUpstream(body.cause(), true), HttpForwarder.describe(body.cause()), body.cause());
        return;
      }
      ex.countOut(body.result().length());
      response.headers().set("Content-Length", Integer.toString(body.result().length()));
      response.end(body.result());
      ex.complete(upstreamResponse.statusCode(), null);
    });
  }
}
