package dev.harp.demo;

import dev.harp.testkit.Await;
import dev.harp.testkit.Ports;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** `harp demo` brings up 3 members that form one cluster and each proxies a request to the sample API. */
class DemoClusterTest {

  @Test
  void threeMembersEachProxyTheSampleApi() throws Exception {
    // Consecutive ports are what the demo uses; pick a block unlikely to be taken instead of the fixed defaults.
    int base = 20_000 + (int) (ProcessHandle.current().pid() % 20_000);
    DemoCluster.Ports ports = new DemoCluster.Ports(Ports.free(), base, base + 10, base + 20);
    DemoCluster demo = Await.result(DemoCluster.start(3, ports), Duration.ofSeconds(120));
    try {
      HttpClient http = HttpClient.newHttpClient();
      // Before any request of ours: the demo's own sample load gives its dashboard live traffic on every node.
      Await.until("sample load reaches every node", Duration.ofSeconds(20), () -> demo.nodes().stream()
          .allMatch(n -> n.observers().latestStats().values().stream().mapToLong(s -> s.count()).sum() > 0));
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + (ports.proxy() + i) + "/items")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getJsonArray("items")).hasSize(3);
        assertThat(r.headers().firstValue("via")).hasValue("1.1 harp");
      }
      Await.until("all three see three members", Duration.ofSeconds(30), () -> demo.nodes().stream()
          .allMatch(n -> n.hazelcast().getCluster().getMembers().size() == 3));
    } finally {
      Await.result(demo.stop(), Duration.ofSeconds(60));
    }
  }
}
