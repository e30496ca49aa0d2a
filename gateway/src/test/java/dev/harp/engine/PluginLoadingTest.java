package dev.harp.engine;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A filter written outside the gateway against the SPI jar alone (examples/hmac-signing, built by the same Maven
 * run) is put in {@code plugins/} beside a config file and runs on a real node: every request the upstream gets is
 * signed, the signature checks out, and the filter's counter is in /metrics. A plugin that cannot load, or whose
 * block is wrong, stops the node with its name and the reason.
 */
class PluginLoadingTest {

  private static final String SECRET = "an-example-secret-of-32-bytes-or-more";

  @TempDir
  Path dir;
  private HarpNode node;
  private TestUpstream upstream;

  @AfterEach
  void stop() {
    if (node != null) {
      Await.result(node.stop(), Duration.ofSeconds(30));
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private Path config(String proxyExtra, int proxyPort, int adminPort, String upstreamUrl) throws Exception {
    return Files.writeString(dir.resolve("harp.yaml"), """
        node: {name: plugin-node, drainTimeout: 2s, eventLoops: 1}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
        %s""".formatted(adminPort, TestAdmin.USER_YAML, proxyPort, upstreamUrl, proxyExtra.indent(4)));
  }

  private void installExample() throws Exception {
    ExamplePlugin.installInto(dir.resolve("plugins"));
  }

  @Test
  void aPluginFromThePluginsDirectorySignsEveryUpstreamRequest() throws Exception {
    installExample();
    upstream = TestUpstream.start();
    int proxyPort = Ports.free();
    int adminPort = Ports.free();
    Path file = config("hmac: {keyId: k1, secret: '" + SECRET + "'}\ncache: {}", proxyPort, adminPort,
        upstream.url());

    HarpConfig config = ConfigLoader.load(file, Map.of());
    assertThat(((PipelineOrder.Ordered) Pipelines.order(config.proxies().get(0),
        Pipelines.fromConfig(config.proxies().get(0)))).names()).containsExactly("cache", "hmac");
    node = Await.result(HarpNode.start(config), Duration.ofSeconds(60));

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort
        + "/orders?id=7")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    TestUpstream.Seen seen = upstream.seen().get(0);
    String date = seen.headers().get("X-Signature-Date");
    String requestId = seen.headers().get("X-Request-Id");
    assertThat(date).isNotBlank();
    assertThat(seen.headers().get("X-Signature"))
        .isEqualTo("keyId=k1, signature=" + hmac("GET\n/orders?id=7\n" + date + "\n" + requestId));
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
        .header("Authorization", TestAdmin.basic()).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("harp_filter_hmac_signed_total{proxy=\"api\"} 1.0");
  }

  @Test
  void withoutThePluginItsBlockIsAnUnknownKey() throws Exception {
    Path file = config("hmac: {keyId: k1, secret: '" + SECRET + "'}", 4000, 4080, "http://127.0.0.1:9000");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("proxies[0].hmac");
  }

  @Test
  void thePluginsOwnValidationNamesTheKey() throws Exception {
    installExample();
    Path file = config("hmac: {keyId: k1, secret: short, colour: blue}", 4000, 4080, "http://127.0.0.1:9000");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("proxies[0].hmac.secret: must be at least 32 bytes")
        .hasMessageContaining("proxies[0].hmac.colour");
  }

  @Test
  void aPluginThatCannotLoadStopsTheNodeWithItsNameAndTheReason() throws Exception {
    Files.createDirectories(dir.resolve("plugins"));
    try (OutputStream out = Files.newOutputStream(dir.resolve("plugins").resolve("broken.jar"));
         JarOutputStream jar = new JarOutputStream(out)) {
      jar.putNextEntry(new ZipEntry("META-INF/services/dev.harp.spi.FilterFactory"));
      jar.write("com.example.Missing\n".getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    Path file = config("", 4000, 4080, "http://127.0.0.1:9000");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("(plugins): plugin")
        .hasMessageContaining("com.example.Missing");
  }

  @Test
  void aPluginPathThatIsNotADirectoryIsRefused() throws Exception {
    Path file = config("", 4000, 4080, "http://127.0.0.1:9000");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), List.of(dir.resolve("nowhere"))))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("--plugin-path: not a directory");
  }

  private static String hmac(String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }
}
