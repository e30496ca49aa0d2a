package dev.harp.engine;

import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Exchange;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;
import dev.harp.spi.ResponseHead;
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
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A filter that throws on the response head: the client gets a problem answer, not a connection left hanging. */
class FilterStageResponseHeadTest {

  /** A plugin's filter with a bug in its response-head phase. */
  public static final class ThrowingOnHead implements FilterFactory<Object> {
    @Override
    public String name() {
      return "throws-on-head";
    }

    @Override
    public Placement placement() {
      return Placement.after("cache");
    }

    @Override
    public Object read(ConfigBlock block) {
      block.allowOnly(Set.of());
      return "";
    }

    @Override
    public Filter create(Object config, FilterContext context) {
      return new Filter() {
        @Override
        public void onResponseHead(Exchange exchange, ResponseHead head) {
          head.headers().set("X-Half-Done", "1");
          throw new IllegalStateException("bug in onResponseHead");
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
  void aFilterThrowingOnTheResponseHeadAnswers500() throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), ThrowingOnHead.class);
    harp.start(harp.writeConfig(dir, "throws-on-head: {}"));
    harp.upstream.handler(req -> req.response().putHeader("Set-Cookie", "upstream=1").end("upstream body"));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> r = http.send(HttpRequest.newBuilder(harp.proxy("/x")).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body()).contains("internal-error").doesNotContain("upstream body");
    assertThat(r.headers().firstValue("Set-Cookie")).as("nothing of the dropped response goes out").isEmpty();
    assertThat(r.headers().firstValue("X-Half-Done")).isEmpty();
    assertThat(harp.metrics()).contains("harp_failures_total{proxy=\"api\",reason=\"internal-error\"} 1.0");
  }
}
