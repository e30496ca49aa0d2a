package dev.harp.engine;

import dev.harp.spi.AttemptResult;
import dev.harp.spi.AttemptVerdict;
import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Endpoint;
import dev.harp.spi.EndpointChoice;
import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import dev.harp.spi.FailureType;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;
import dev.harp.testkit.ConfigFileNode;
import dev.harp.testkit.ServicePlugin;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin acts at the attempt phase through the SPI alone, as HARP's resilience does: it vetoes endpoints
 * ({@code chooseEndpoint}), retries an outcome ({@code onAttempt}), keeps a body for the retry
 * ({@code bodyReplayLimit}) and explains a refusal with its own failure type ({@code unavailable}).
 */
class AttemptPhaseTest {

  /** Never sends to the endpoint named {@code avoid}; retries a first 503 at once. */
  public static final class AvoidAndRetry implements FilterFactory<String> {
    static final FailureType ALL_AVOIDED = new FailureType(503, "all-avoided", "Service Unavailable");

    @Override
    public String name() {
      return "avoid-and-retry";
    }

    @Override
    public Placement placement() {
      return Placement.after("cache");
    }

    @Override
    public String read(ConfigBlock block) {
      block.allowOnly(Set.of("avoid"));
      return block.string("avoid", "");
    }

    @Override
    public Filter create(String avoid, FilterContext context) {
      return new Filter() {
        @Override
        public Endpoint chooseEndpoint(Exchange exchange, EndpointChoice choice) {
          return choice.pick(e -> !e.label().equals(avoid));
        }

        @Override
        public Failure unavailable(Exchange exchange) {
          return new Failure(ALL_AVOIDED, "every endpoint is avoided", 7);
        }

        @Override
        public long bodyReplayLimit(Exchange exchange) {
          return 1024;
        }

        @Override
        public AttemptVerdict onAttempt(Exchange exchange, AttemptResult result) {
          return result.status() == 503 && result.number() == 0 ? AttemptVerdict.retry(0, "test-503")
              : AttemptVerdict.ACCEPT;
        }
      };
    }
  }

  @TempDir
  Path dir;
  private final ConfigFileNode harp = new ConfigFileNode();
  private final TestUpstream avoided = TestUpstream.start();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    harp.close();
    avoided.close();
  }

  private void start(String endpoints) throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), AvoidAndRetry.class);
    harp.start(Files.writeString(dir.resolve("harp.yaml"), """
        node: {name: attempt-node, drainTimeout: 2s, eventLoops: 1}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: [%s]}
            avoid-and-retry: {avoid: '%s'}
        """.formatted(harp.adminPort, TestAdmin.USER_YAML, harp.proxyPort, endpoints, avoided.url())));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aVetoedEndpointGetsNoAttempt() throws Exception {
    start("'" + avoided.url() + "', '" + harp.upstream.url() + "'");

    for (int i = 0; i < 6; i++) {
      assertThat(send(HttpRequest.newBuilder(harp.proxy("/r/" + i))).statusCode()).isEqualTo(200);
    }

    assertThat(avoided.seen()).isEmpty();
    assertThat(harp.upstream.seen()).hasSize(6);
  }

  @Test
  void aRetryVerdictSendsTheRequestAgainWithItsBody() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    harp.upstream.handler(req -> req.body().onSuccess(body -> req.response()
        .setStatusCode(calls.incrementAndGet() == 1 ? 503 : 200).end("got " + body)));
    start("'" + harp.upstream.url() + "'");

    HttpResponse<String> r = send(HttpRequest.newBuilder(harp.proxy("/orders"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":2}")));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("got {\"qty\":2}");
    assertThat(r.headers().firstValue("X-Harp-Attempts")).hasValue("2");
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void whenEveryEndpointIsVetoedTheFiltersOwnFailureAnswers() throws Exception {
    start("'" + avoided.url() + "'");

    HttpResponse<String> r = send(HttpRequest.newBuilder(harp.proxy("/x")));

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body()).contains("all-avoided").contains("every endpoint is avoided");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(avoided.seen()).isEmpty();
  }
}
