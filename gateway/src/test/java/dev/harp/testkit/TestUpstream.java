package dev.harp.testkit;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback standing in for an upstream API. Records every request head it receives (so tests
 * can assert the upstream saw nothing), and lets a test swap its handler.
 */
public final class TestUpstream implements AutoCloseable {

  public record Seen(String method, String uri, io.vertx.core.MultiMap headers) {
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile Handler<HttpServerRequest> handler = req -> req.response().end("ok");
  private volatile Handler<ServerWebSocket> webSocketHandler = ws -> ws.handler(ws::write);
  private volatile Integer rejectWebSockets;

  private TestUpstream(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static TestUpstream start() {
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    TestUpstream upstream = new TestUpstream(vertx, server);
    server.connectionHandler(c -> upstream.connections.incrementAndGet());
    server.webSocketHandshakeHandler(h -> {
      Integer reject = upstream.rejectWebSockets;
      if (reject != null) {
        h.reject(reject);
      } else {
        h.accept();
      }
    });
    server.webSocketHandler(ws -> upstream.webSocketHandler.handle(ws));
    server.requestHandler(req -> {
      upstream.seen.add(new Seen(req.method().name(), req.uri(), io.vertx.core.MultiMap.caseInsensitiveMultiMap()
          .addAll(req.headers())));
      upstream.handler.handle(req);
    });
    Await.result(server.listen());
    return upstream;
  }

  public TestUpstream handler(Handler<HttpServerRequest> handler) {
    this.handler = handler;
    return this;
  }

  public TestUpstream webSocketHandler(Handler<ServerWebSocket> handler) {
    this.webSocketHandler = handler;
    return this;
  }

  /** Answers every WebSocket upgrade with this status instead of accepting it. */
  public TestUpstream rejectWebSockets(int status) {
    this.rejectWebSockets = status;
    return this;
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public List<Seen> seen() {
    return seen;
  }

  public int connectionsAccepted() {
    return connections.get();
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
