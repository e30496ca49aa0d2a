package dev.harp.engine.guard;

import dev.harp.config.ProxyConfig;
import dev.harp.engine.Problems;
import dev.harp.engine.ProxyFailure;
import dev.harp.engine.ProxyRuntime;
import dev.harp.engine.RequestIds;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hardens one proxy listener on one event loop against hostile input: swaps Vert.x's HTTP/1 request decoder for the
 * {@link StrictRequestDecoder} on every new connection, answers the heads it refuses, and runs the head timer.
 *
 * <p>The seam is {@code HttpServer.connectionHandler}. Vert.x calls it synchronously from
 * {@code HttpServerConnectionInitializer.configureHttp1Handler}, right after it added "httpDecoder" to the pipeline,
 * inside the channel initializer that runs when the accepted channel registers with its event loop: before
 * {@code channelActive}, hence before the first read. Replacing the handler there means no byte of the connection
 * is ever decoded leniently; {@link #install} checks the thread and the handler type and closes the connection if
 * either is ever not what this relies on.
 */
public final class RequestGuard {

  private static final Logger LOG = LoggerFactory.getLogger(RequestGuard.class);
  /** The name Vert.x gives its request decoder in the pipeline (HttpServerConnectionInitializer). */
  static final String DECODER = "httpDecoder";

  private final ProxyRuntime runtime;
  private final HttpServerOptions options;
  private final ProxyConfig.Limits limits;
  private final EventLoop eventLoop;
  private final HeadTimer timer;

  private RequestGuard(ProxyRuntime runtime, HttpServerOptions options, EventLoop eventLoop, HeadTimer timer) {
    this.runtime = runtime;
    this.options = options;
    this.limits = runtime.config().limits();
    this.eventLoop = eventLoop;
    this.timer = timer;
  }

  /** Called from the verticle's start, on the event loop this guard serves. */
  public static RequestGuard start(ProxyRuntime runtime, HttpServerOptions options, Vertx vertx, Context context) {
    var headerReadTimeout = runtime.config().limits().headerReadTimeout();
    HeadTimer timer = headerReadTimeout.isZero() ? null : new HeadTimer(vertx, headerReadTimeout);
    return new RequestGuard(runtime, options, ((ContextInternal) context).nettyEventLoop(), timer);
  }

  /** {@code HttpServer.connectionHandler}: replaces the decoder before the connection reads its first byte. */
  public void install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    Channel channel = base.channel();
    ChannelPipeline pipeline = channel.pipeline();
    if (!(pipeline.get(DECODER) instanceof VertxHttpRequestDecoder)) {
      return; // HTTP/2: no HTTP/1 decoder, and its framing has no smuggling ambiguity of this kind
    }
    if (channel.eventLoop() != eventLoop || !eventLoop.inEventLoop()) {
      // Never expected (Vert.x hands a connection to the listener instance of its own event loop); the decoder and
      // its timer are confined to one loop, so refuse to serve rather than serve unguarded.
      LOG.error("proxy {}: connection from {} is not on its listener's event loop; closing it", runtime.name(),
          connection.remoteAddress());
      channel.close();
      return;
    }
    try {
      pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options, limits, timer));
    } catch (RuntimeException e) {
      // Vert.x would report the exception and carry on with the lenient decoder: fail closed instead.
      LOG.error("proxy {}: cannot guard connection from {}; closing it", runtime.name(),
          connection.remoteAddress(), e);
      channel.close();
    }
  }

  /** {@code HttpServer.invalidRequestHandler}: answers a refused head, counts it, and closes the connection. */
  public void refuse(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    RequestRejected rejected;
    if (cause instanceof RequestRejected r) {
      rejected = r;
    } else if (cause == null || cause instanceof io.netty.handler.codec.PrematureChannelClosureException) {
      request.connection().close(); // the client left mid-head: nobody to answer
      return;
    } else {
      rejected = new RequestRejected(Violation.MALFORMED_REQUEST, cause.toString());
    }
    Violation violation = rejected.violation();
    ProxyFailure failure = violation.failure;
    String requestId = RequestIds.generate();
    String detail = Rejections.printable(rejected.getMessage());
    Rejections.report(runtime, violation, failure.status, request.remoteAddress(), requestId, detail);
    Buffer body = Problems.body(failure, detail, null, requestId).toBuffer();
    request.response()
        .setStatusCode(failure.status)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE)
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
        .putHeader(RequestIds.HEADER, requestId)
        .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
        .end(body);
    // Closing flushes the answer first (VertxConnection.writeClose).
    request.connection().close();
  }

  public void close() {
    if (timer != null) {
      timer.close();
    }
  }
}
