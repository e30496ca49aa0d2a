package dev.harp.engine;

import dev.harp.testkit.Await;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GracefulDrainTest extends ProxyTestBase {

  @Test
  void stopFinishesInFlightRequestsAndRefusesNewOnes() throws Exception {
    List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    TestUpstream up = upstream().handler(held::add);
    startProxy(up.url(), "");
    int adminPort = node.adminPort();
    CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
        HttpRequest.newBuilder(URI.create(proxyUrl("/work"))).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    Await.until("the request reached the upstream", Duration.ofSeconds(10), () -> held.size() == 1);

    Future<Void> stopping = node.stop();
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).as("a draining node is not ready").isEqualTo(503);
    assertThat(ready.body()).contains("\"draining\":true");
    Await.until("the proxy port stops accepting", Duration.ofSeconds(10), this::refusesConnections);
    assertThat(stopping.isComplete()).as("stop waits for the in-flight request").isFalse();

    held.get(0).response().end("finished");
    HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("finished");
    Await.result(stopping, Duration.ofSeconds(20));
    node = null;
  }

  @Test
  void theDrainTimeoutBoundsTheWait() throws Exception {
    TestUpstream up = upstream().handler(req -> { /* never answers */ });
    startProxy(up.url(), "");
    // startProxy uses drainTimeout 5s; a request that never ends must not hold the stop longer than that (+ slack).
    http.sendAsync(HttpRequest.newBuilder(URI.create(proxyUrl("/forever"))).build(),
        HttpResponse.BodyHandlers.ofString());
    Await.until("the request reached the upstream", Duration.ofSeconds(10), () -> up.seen().size() == 1);
    long start = System.nanoTime();
    Await.result(node.stop(), Duration.ofSeconds(30));
    long ms = (System.nanoTime() - start) / 1_000_000;
    node = null;
    assertThat(ms).isBetween(4_000L, 15_000L);
  }

  private boolean refusesConnections() {
    try (Socket s = new Socket("127.0.0.1", proxyPort)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void refusedConnectAssertionIsMeaningful() throws Exception {
    TestUpstream up = upstream();
    startProxy(up.url(), "");
    assertThat(refusesConnections()).isFalse();
    assertThatThrownBy(() -> new Socket("127.0.0.1", dev.harp.testkit.Ports.free()).close())
        .isInstanceOf(ConnectException.class);
  }
}
