package dev.harp.observe;

import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Traffic events and stats cross the clustered event bus of three real members. */
class ObserveClusterTest {

  private static TestUpstream upstream;
  private static HarpTestCluster cluster;

  @BeforeAll
  static void start() {
    upstream = TestUpstream.start();
    cluster = HarpTestCluster.startWithProxyTo(3, upstream.url());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void aConsumerOnMemberCSeesTheTrafficEventOfARequestServedByMemberA() throws InterruptedException {
    BlockingQueue<JsonObject> batches = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> consumer = cluster.node(2).vertx().eventBus()
        .consumer(EventAddresses.TRAFFIC, m -> batches.add(m.body()));
    Await.result(consumer.completion());
    try {
      Set<String> sent = new HashSet<>();
      JsonObject seen = null;
      // A's view of C's subscription is eventually consistent: if the first event misses it, later ones will not.
      for (int attempt = 1; attempt <= 5 && seen == null; attempt++) {
        String id = "cluster-event-" + attempt;
        sent.add(id);
        assertThat(Http.get("http://127.0.0.1:" + cluster.spec(0).proxyPort(0) + "/via-a", "X-Request-Id", id)
            .statusCode()).isEqualTo(200);
        seen = firstEventOf(batches, sent, 3);
      }
      assertThat(seen).as("a traffic event from node-1 on node-3 for one of %s", sent).isNotNull();
      assertThat(seen.getString("node")).isEqualTo("node-1");
      assertThat(seen.getString("proxy")).isEqualTo("api");
      assertThat(seen.getString("path")).isEqualTo("/via-a");
      assertThat(seen.getInteger("status")).isEqualTo(200);
    } finally {
      Await.result(consumer.unregister());
    }
  }

  @Test
  void statsArriveFromAllThreeMembers() throws InterruptedException {
    BlockingQueue<JsonObject> stats = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> consumer = cluster.node(2).vertx().eventBus()
        .consumer(EventAddresses.STATS, m -> stats.add(m.body()));
    Await.result(consumer.completion());
    try {
      Set<String> nodes = new HashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (nodes.size() < 3 && System.nanoTime() < deadline) {
        JsonObject s = stats.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (s != null) {
          assertThat(s.getString("proxy")).isEqualTo("api");
          nodes.add(s.getString("node"));
        }
      }
      assertThat(nodes).containsExactlyInAnyOrder("node-1", "node-2", "node-3");
    } finally {
      Await.result(consumer.unregister());
    }
  }

  @Test
  void eachMemberScrapesItsOwnVertxAndJvmMeters() {
    for (int i = 0; i < cluster.size(); i++) {
      assertThat(cluster.node(i).metrics().scrape()).as("node-%d's registry", i + 1)
          .contains("vertx_pool_in_use{").contains("jvm_memory_used_bytes{").contains("harp_cluster_members 3.0");
    }
  }

  private static JsonObject firstEventOf(BlockingQueue<JsonObject> batches, Set<String> ids, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      JsonObject batch = batches.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (batch == null) {
        return null;
      }
      for (Object o : batch.getJsonArray("events")) {
        JsonObject event = (JsonObject) o;
        if (ids.contains(event.getString("requestId"))) {
          return event;
        }
      }
    }
    return null;
  }
}
