package dev.harp.engine;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import dev.harp.testkit.ConfigFileNode;
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
  private final ConfigFileNode harp = new ConfigFileNode();

  @AfterEach
  void stop() {
    harp.close();
  }

  private Path config(String proxyExtra) throws Exception {
    return harp.writeConfig(dir, proxyExtra);
  }

  private void installExample() throws Exception {
    ExamplePlugin.installInto(dir.resolve("plugins"));
  }

  @Test
  void aPluginFromThePluginsDirectorySignsEveryUpstreamRequest() throws Exception {
    installExample();
    Path file = config("hmac: {keyId: k1, secret: '" + SECRET + "'}\ncache: {}");

    HarpConfig config = ConfigLoader.load(file, Map.of());
    assertThat(((PipelineOrder.Ordered) Pipelines.order(config.proxies().get(0),
        Pipelines.fromConfig(config.proxies().get(0)))).names()).containsExactly("ban", "cache", "hmac");
    harp.start(file);

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(harp.proxy("/orders?id=7")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    TestUpstream.Seen seen = harp.upstream.seen().get(0);
    String date = seen.headers().get("X-Signature-Date");
    String requestId = seen.headers().get("X-Request-Id");
    assertThat(date).isNotBlank();
    assertThat(seen.headers().get("X-Signature"))
        .isEqualTo("keyId=k1, signature=" + hmac("GET\n/orders?id=7\n" + date + "\n" + requestId));
    assertThat(harp.metrics()).contains("harp_filter_hmac_signed_total{proxy=\"api\"} 1.0");
  }

  @Test
  void withoutThePluginItsBlockIsAnUnknownKey() throws Exception {
    Path file = config("hmac: {keyId: k1, secret: '" + SECRET + "'}");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("proxies[0].hmac");
  }

  @Test
  void thePluginsOwnValidationNamesTheKey() throws Exception {
    installExample();
    Path file = config("hmac: {keyId: k1, secret: short, colour: blue}");
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
    Path file = config("");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("(plugins): plugin")
        .hasMessageContaining("com.example.Missing");
  }

  @Test
  void aPluginPathThatIsNotADirectoryIsRefused() throws Exception {
    Path file = config("");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), List.of(dir.resolve("nowhere"))))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("--plugin-path: not a directory");
  }

  private static String hmac(String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }
}
