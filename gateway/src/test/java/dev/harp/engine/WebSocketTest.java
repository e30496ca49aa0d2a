package dev.harp.engine;

import dev.harp.testkit.Await;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketTest extends ProxyTestBase {

  private final Vertx client = Vertx.vertx();
  // One client held by the test: Vert.x 5 shuts down a WebSocketClient that becomes unreachable, even in the middle
  // of a handshake (vert.x #5839), and a local goes unreachable once its last call returned.
  private final WebSocketClient webSockets = client.createWebSocketClient();

  @AfterEach
  void closeClient() {
    Await.result(client.close());
  }

  private WebSocket connect(String path, BlockingQueue<String> received) {
    WebSocketClient ws = webSockets;
    // Handlers are set before connecting: set after the connection completed, a frame the upstream sends at once
    // (its greeting) could arrive first and be dropped.
    io.vertx.core.http.ClientWebSocket socket = ws.webSocket();
    socket.textMessageHandler(received::add);
    socket.binaryMessageHandler(b -> received.add("bin:" + b.length()));
    return Await.result(socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(proxyPort)
        .setURI(path)));
  }

  @Test
  void framesFlowBothWaysAndCloseReachesTheUpstream() throws Exception {
    CompletableFuture<Short> upstreamSawClose = new CompletableFuture<>();
    CompletableFuture<String> upstreamPath = new CompletableFuture<>();
    TestUpstream up = upstream().webSocketHandler(ws -> {
      upstreamPath.complete(ws.path());
      ws.textMessageHandler(t -> ws.writeTextMessage("echo:" + t));
      ws.binaryMessageHandler(ws::writeBinaryMessage);
      ws.closeHandler(v -> upstreamSawClose.complete(ws.closeStatusCode()));
      ws.writeTextMessage("hello from upstream");
    });
    startProxy(up.url(), "");
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket socket = connect("/chat?room=1", received);
    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("hello from upstream");
    socket.writeTextMessage("ping");
    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:ping");
    socket.writeBinaryMessage(Buffer.buffer(new byte[200_000]));
    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("bin:200000");
    assertThat(upstreamPath.get(5, TimeUnit.SECONDS)).isEqualTo("/chat");
    assertThat(up.seen()).as("the upgrade is a tunnel, not a request the upstream answers").isEmpty();
    Await.result(socket.close((short) 4001, "bye"));
    assertThat(upstreamSawClose.get(5, TimeUnit.SECONDS)).isEqualTo((short) 4001);
  }

  @Test
  void aQuietWebSocketOutlivesTheHttpIdleTimeout() throws Exception {
    TestUpstream up = upstream().webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage));
    startProxy(up.url(), "timeouts: {idle: 300ms}");
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket socket = connect("/", received);
    CompletableFuture<Void> closed = new CompletableFuture<>();
    socket.closeHandler(v -> closed.complete(null));
    // Waiting is the point: an HTTP connection would be cut after 300 ms of silence, a tunnel must not be.
    Thread.sleep(1_200);
    assertThat(closed).isNotDone();
    socket.writeTextMessage("still there?");
    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("still there?");
  }

  @Test
  void aConfiguredTunnelIdleTimeoutClosesSilentSockets() throws Exception {
    TestUpstream up = upstream().webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage));
    startProxy(up.url(), "timeouts: {websocketIdle: 300ms}");
    WebSocket socket = connect("/", new LinkedBlockingQueue<>());
    CompletableFuture<Long> closedAfter = new CompletableFuture<>();
    long start = System.nanoTime();
    socket.closeHandler(v -> closedAfter.complete((System.nanoTime() - start) / 1_000_000));
    assertThat(closedAfter.get(10, TimeUnit.SECONDS)).isBetween(200L, 5_000L);
  }

  @Test
  void anUpstreamThatRefusesTheUpgradeIsRelayed() throws Exception {
    TestUpstream up = upstream().rejectWebSockets(403);
    startProxy(up.url(), "");
    WebSocketClient ws = webSockets;
    Throwable failure = Await.result(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(proxyPort).setURI("/")).transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())),
        Duration.ofSeconds(10));
    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("403");
  }
}
