package dev.harp.engine;

import dev.harp.config.ProxyConfig;
import dev.harp.http.CanonicalPath;
import dev.harp.engine.guard.Rejections;
import dev.harp.engine.guard.RequestGuard;
import dev.harp.engine.guard.Violation;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One proxy's listener on one event loop. The node deploys one instance per event loop; Vert.x spreads accepted
 * connections over them, and each instance's upstream client keeps its connections on its own loop.
 */
public final class ProxyVerticle extends VerticleBase {

  private final ProxyRuntime runtime;
  private final Duration drainTimeout;
  private HttpServer server;
  private HttpClient client;
  private final UpstreamConnections connections = new UpstreamConnections();
  private RequestGuard guard;

  public ProxyVerticle(ProxyRuntime runtime, Duration drainTimeout) {
    this.runtime = runtime;
    this.drainTimeout = drainTimeout;
  }

  @Override
  public Future<?> start() {
    ProxyConfig config = runtime.config();
    client = vertx.httpClientBuilder()
        .with(clientOptions(config))
        .with(new PoolOptions().setHttp1MaxSize(config.upstream().poolSize()))
        .withConnectHandler(connections::opened)
        .build();
    HttpServerOptions options = serverOptions(config);
    guard = RequestGuard.start(runtime, options, vertx, context);
    server = vertx.createHttpServer(options)
        .connectionHandler(guard::install)
        .invalidRequestHandler(guard::refuse)
        .requestHandler(this::handle);
    return server.listen(config.port(), config.bind());
  }

  private void handle(HttpServerRequest request) {
    request.pause();
    ProxyExchange exchange = new ProxyExchange(runtime, client, connections, request,
        UpgradeTunnel.isUpgrade(request));
    // From the start, not only once the body is pumped: the guard may refuse a body while interceptors still run.
    request.exceptionHandler(exchange::requestFailed);
    if (runtime.matchesPaths() && !readPath(exchange)) {
      return;
    }
    exchange.proceed();
  }

  /** Reads the canonical path for the proxy's path rules; false if the path was refused (counted, logged, 400). */
  private boolean readPath(ProxyExchange exchange) {
    CanonicalPath path = CanonicalPath.of(exchange.request().path());
    if (path instanceof CanonicalPath.Ok ok) {
      exchange.canonicalPath(ok.path());
      return true;
    }
    String reason = ((CanonicalPath.Refused) path).reason();
    Rejections.report(runtime, Violation.AMBIGUOUS_PATH, Violation.AMBIGUOUS_PATH.failure.status,
        exchange.request().remoteAddress(), exchange.requestId(), reason);
    exchange.reject(Violation.AMBIGUOUS_PATH.failure, Violation.AMBIGUOUS_PATH.failure.status, reason, null);
    return false;
  }

  /** Stops accepting, lets in-flight exchanges finish up to the drain timeout, then closes what is left. */
  @Override
  public Future<?> stop() {
    long ms = drainTimeout.toMillis();
    guard.close();
    return server.shutdown(ms, TimeUnit.MILLISECONDS)
        .eventually(() -> client.shutdown(1, TimeUnit.SECONDS));
  }

  public int actualPort() {
    return server.actualPort();
  }

  static HttpServerOptions serverOptions(ProxyConfig config) {
    ProxyConfig.Limits limits = config.limits();
    return new HttpServerOptions()
        // "GET " + URI + " HTTP/1.1": the URI limit is what users think in, the decoder counts the whole line.
        .setMaxInitialLineLength(limits.maxUriLength() + 32)
        .setMaxHeaderSize(limits.maxHeaderSize())
        .setIdleTimeout((int) config.timeouts().idle().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setHttp2ClearTextEnabled(false)
        .setHandle100ContinueAutomatically(false)
        .setDecompressionSupported(false)
        .setCompressionSupported(false)
        .setTcpNoDelay(true)
        .setReuseAddress(true);
  }

  static HttpClientOptions clientOptions(ProxyConfig config) {
    return new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(60)
        .setPipelining(false)
        .setTcpNoDelay(true)
        .setDecompressionSupported(false)
        .setVerifyHost(true)
        .setMaxHeaderSize(64 * 1024)
        .setMaxInitialLineLength(8192)
        .setConnectTimeout((int) config.timeouts().connect().toMillis());
  }
}
