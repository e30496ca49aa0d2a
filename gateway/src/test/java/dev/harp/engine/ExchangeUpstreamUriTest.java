package dev.harp.engine;

import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Exchange;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Next;
import dev.harp.spi.Placement;
import dev.harp.testkit.ConfigFileNode;
import dev.harp.testkit.ServicePlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The SPI's {@link Exchange#upstreamUri}: what a filter sets is what the upstream gets; the client's stays. */
class ExchangeUpstreamUriTest {

  /** Puts {@code /v2} before the target, and the client's URI as a header; refuses a target without '/'. */
  public static final class Rewrite implements FilterFactory<String> {
    @Override
    public String name() {
      return "rewrite";
    }

    @Override
    public Placement placement() {
      return Placement.after("cache");
    }

    @Override
    public String read(ConfigBlock block) {
      return block.string("prefix", "/v2");
    }

    @Override
    public Filter create(String prefix, FilterContext context) {
      return new Filter() {
        @Override
        public void onRequest(Exchange exchange, Next next) {
          if (exchange.path().equals("/bad")) {
            exchange.upstreamUri("no-slash"); // throws: the engine answers 500
          }
          String clientUri = exchange.uri();
          exchange.upstreamUri(prefix + exchange.upstreamUri());
          exchange.editUpstreamHeaders(h -> h.set("X-Client-Uri", clientUri));
          next.proceed();
        }
      };
    }
  }

  @TempDir
  Path dir;
  private final ConfigFileNode harp = new ConfigFileNode();

  @AfterEach
  void stop() {
    harp.close();
  }

  @Test
  void aFilterRewritesTheTargetTheUpstreamSees() throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), Rewrite.class);
    harp.start(harp.writeConfig(dir, "rewrite: {prefix: /v2}"));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(harp.proxy("/items?q=1"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(harp.proxy("/bad"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(harp.upstream.seen()).hasSize(1);
    assertThat(harp.upstream.seen().get(0).uri()).isEqualTo("/v2/items?q=1");
    assertThat(harp.upstream.seen().get(0).headers().get("X-Client-Uri")).isEqualTo("/items?q=1");
    assertThat(bad.statusCode()).isEqualTo(500);
    assertThat(bad.body()).contains("internal-error");
  }
}
