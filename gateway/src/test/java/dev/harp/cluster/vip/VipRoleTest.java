package dev.harp.cluster.vip;

import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * keepalived's notify script reports the VIP role to the admin API: the node keeps it (GET, /health/ready) and a
 * change reaches the other member over the clustered event bus.
 */
class VipRoleTest {

  private static TestUpstream upstream;
  private static HarpTestCluster cluster;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    upstream = TestUpstream.start();
    cluster = HarpTestCluster.startWithProxyTo(2, upstream.url());
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
  void aReportedTransitionIsKeptShownInReadinessAndPublishedToTheCluster() throws Exception {
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> consumer = cluster.node(1).vertx().eventBus()
        .consumer(VipRole.ADDRESS, m -> events.add(m.body()));
    Await.result(consumer.completion());
    try {
      assertThat(new JsonObject(get(1, "/api/cluster/vip").body()).getString("state")).isEqualTo("UNKNOWN");

      HttpResponse<String> master = post(1, "{\"state\":\"MASTER\"}");
      assertThat(master.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(master.body()).getBoolean("changed")).isTrue();

      JsonObject event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("event on the other member").isNotNull();
      assertThat(event.getString("node")).isEqualTo("node-1");
      assertThat(event.getString("state")).isEqualTo("MASTER");
      assertThat(event.getString("previous")).isEqualTo("UNKNOWN");

      JsonObject held = new JsonObject(get(1, "/api/cluster/vip").body());
      assertThat(held.getString("state")).isEqualTo("MASTER");
      HttpResponse<String> ready = get(1, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ready.body()).getString("vip")).isEqualTo("MASTER");

      // The check script re-reports the current state to a restarted node: no change, no event.
      HttpResponse<String> again = post(1, "{\"state\":\"master\"}");
      assertThat(new JsonObject(again.body()).getBoolean("changed")).isFalse();
      assertThat(new JsonObject(again.body()).getLong("since")).isEqualTo(held.getLong("since"));

      post(1, "{\"state\":\"FAULT\"}");
      JsonObject fault = events.poll(10, TimeUnit.SECONDS);
      assertThat(fault.getString("state")).isEqualTo("FAULT");
      assertThat(fault.getString("previous")).isEqualTo("MASTER");
      assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("the repeated MASTER published nothing").isNull();
    } finally {
      Await.result(consumer.unregister());
    }
  }

  @Test
  void aMalformedReportIsRefusedAndChangesNothing() throws Exception {
    String before = new JsonObject(get(2, "/api/cluster/vip").body()).getString("state");
    for (String body : new String[] {"{\"state\":\"LEADER\"}", "{}", "not json", "{\"state\":1}",
        "{\"state\":\"UNKNOWN\"}"}) {
      HttpResponse<String> r = post(2, body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    }
    assertThat(new JsonObject(get(2, "/api/cluster/vip").body()).getString("state")).isEqualTo(before);
  }

  private HttpResponse<String> post(int node, String body) throws Exception {
    return send(HttpRequest.newBuilder(uri(node, "/api/cluster/vip")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> get(int node, String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(node, path)));
  }

  private static URI uri(int node, String path) {
    return URI.create("http://127.0.0.1:" + cluster.spec(node - 1).adminPort() + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.header("Authorization", dev.harp.testkit.TestAdmin.basic()).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
