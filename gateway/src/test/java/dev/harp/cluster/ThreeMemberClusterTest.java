package dev.harp.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real 3-member cluster: three Vert.x instances, three Hazelcast members joined over TCP on loopback. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeMemberClusterTest {

  private static TestUpstream upstream;
  private static HarpTestCluster cluster;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startCluster() {
    upstream = TestUpstream.start();
    cluster = HarpTestCluster.startWithProxyTo(3, upstream.url());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  @Order(1)
  void everyMemberProxiesAndIsReady() throws Exception {
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + cluster.spec(i).proxyPort(0) + "/node/" + i)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + cluster.node(i).adminPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      JsonObject report = new JsonObject(ready.body());
      assertThat(report.getInteger("members")).isEqualTo(3);
      assertThat(report.getBoolean("clusterSafe")).isTrue();
    }
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).contains("/node/0", "/node/1", "/node/2");
  }

  @Test
  @Order(2)
  void anEventPublishedOnMemberAArrivesOnMemberC() throws Exception {
    CompletableFuture<JsonObject> onC = new CompletableFuture<>();
    var consumer = cluster.node(2).vertx().eventBus().<JsonObject>consumer("harp.test.ping", m -> onC.complete(m.body()));
    Await.result(consumer.completion());
    // Registration propagates through the cluster's subscription map; publish until C's consumer is known to A.
    Await.until("the event from A reaches C", Duration.ofSeconds(20), () -> {
      cluster.node(0).vertx().eventBus().publish("harp.test.ping", new JsonObject().put("from", "node-1"));
      try {
        onC.get(200, TimeUnit.MILLISECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    });
    assertThat(onC.get().getString("from")).isEqualTo("node-1");
    Await.result(consumer.unregister());
  }

  @Test
  @Order(3)
  void aMemberLeavingIsSeenByTheOthers() throws Exception {
    CompletableFuture<String> removedOnA = new CompletableFuture<>();
    cluster.node(0).hazelcast().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        removedOnA.complete(e.getMember().getAddress().toString());
      }
    });
    String leaving = cluster.node(1).hazelcast().getCluster().getLocalMember().getAddress().toString();
    cluster.stop(1);
    assertThat(removedOnA.get(30, TimeUnit.SECONDS)).isEqualTo(leaving);
    Await.until("member 3 sees 2 members", Duration.ofSeconds(30),
        () -> cluster.node(2).hazelcast().getCluster().getMembers().size() == 2);
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + cluster.node(2).adminPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(new JsonObject(ready.body()).getInteger("members")).isEqualTo(2);
  }
}
