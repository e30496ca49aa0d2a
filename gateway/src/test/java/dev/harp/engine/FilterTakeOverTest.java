package dev.harp.engine;

import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Next;
import dev.harp.spi.Placement;
import dev.harp.spi.ResponseHead;
import dev.harp.testkit.ConfigFileNode;
import dev.harp.testkit.ServicePlugin;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
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

/**
 * The SPI phases a cache needs, through a plugin: a response head taken over ({@link ResponseHead#takeOver}), an
 * upstream failure answered instead of HARP's problem ({@link Filter#onUpstreamFailure}), and a fetch of the
 * exchange's target that is not relayed ({@link Exchange#fetch}).
 */
class FilterTakeOverTest {

  /** Answers a 503 itself, stands in for a failed upstream, and on {@code /fetch} answers with its own fetch. */
  public static final class StandIn implements FilterFactory<Object> {
    @Override
    public String name() {
      return "stand-in";
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
        public void onRequest(Exchange ex, Next next) {
          ex.responseHeaders().set("X-From-Request", "1");
          if (ex.uri().equals("/fetch")) {
            ex.fetch(h -> h.set("X-Fetch", "1"), 1024).onComplete(ar -> ex.respond(200, null,
                Buffer.buffer(ar.succeeded() ? "fetched " + ar.result().status() + ": " + ar.result().body()
                    : "fetch failed: " + ar.cause())));
            return;
          }
          next.proceed();
        }

        @Override
        public void onResponseHead(Exchange ex, ResponseHead head) {
          head.headers().set("X-Edited", "1");
          if (head.status() == 503) {
            head.takeOver(() -> ex.respond(200, MultiMap.caseInsensitiveMultiMap().add("X-Answer", "taken"),
                Buffer.buffer("instead of " + head.status())));
          }
        }

        @Override
        public boolean onUpstreamFailure(Exchange ex, Failure failure) {
          ex.respond(200, null, Buffer.buffer("stood in for " + failure.type().slug()));
          return true;
        }
      };
    }
  }

  @TempDir
  Path dir;
  private final ConfigFileNode harp = new ConfigFileNode();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    harp.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(harp.proxy(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTakenOverHeadIsAnsweredByTheFilterWithTheRequestPhasesFieldsOnly() throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), StandIn.class);
    harp.start(harp.writeConfig(dir, "stand-in: {}"));
    harp.upstream.handler(req -> req.response().setStatusCode(503).putHeader("Set-Cookie", "upstream=1")
        .end("upstream body"));

    HttpResponse<String> r = get("/x");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("instead of 503");
    assertThat(r.headers().firstValue("X-Answer")).hasValue("taken");
    assertThat(r.headers().firstValue("X-From-Request")).as("the request phase's fields stay").hasValue("1");
    assertThat(r.headers().firstValue("Set-Cookie")).as("nothing of the dropped response goes out").isEmpty();
    assertThat(r.headers().firstValue("X-Edited")).as("nor the head phase's edits of it").isEmpty();
  }

  @Test
  void aHeadNotTakenOverIsRelayedWithTheEdits() throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), StandIn.class);
    harp.start(harp.writeConfig(dir, "stand-in: {}"));
    harp.upstream.handler(req -> req.response().end("upstream body"));

    HttpResponse<String> r = get("/x");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("upstream body");
    assertThat(r.headers().firstValue("X-Edited")).hasValue("1");
  }

  @Test
  void anUpstreamFailureIsAnsweredByTheFilterInsteadOfAProblem() throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), StandIn.class);
    harp.start(harp.writeConfig(dir, "stand-in: {}"));
    harp.upstream.handler(req -> req.connection().close());

    HttpResponse<String> r = get("/x");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("stood in for upstream-");
    assertThat(r.headers().firstValue("X-From-Request")).hasValue("1");
  }

  @Test
  void aFetchGoesToTheUpstreamWithTheFiltersFieldsAndIsNotRelayed() throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), StandIn.class);
    harp.start(harp.writeConfig(dir, "stand-in: {}"));
    harp.upstream.handler(req -> req.response().setStatusCode(201)
        .end(req.method() + " " + req.uri() + " X-Fetch=" + req.getHeader("X-Fetch")));

    HttpResponse<String> r = get("/fetch");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("fetched 201: GET /fetch X-Fetch=1");
  }
}
