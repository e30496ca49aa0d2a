package dev.harp.engine;

import dev.harp.testkit.TestUpstream;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The chain features plug into: answer locally, proceed later, fail safely; and listeners see every exchange. */
class InterceptorChainTest extends ProxyTestBase {

  @Test
  void anInterceptorCanAnswerLocallyWithoutCallingTheUpstream() throws Exception {
    TestUpstream up = upstream();
    startProxy(up.url(), "");
    node.proxy("api").addInterceptor(ex -> {
      if (ex.request().path().startsWith("/blocked")) {
        ex.respond(429, MultiMap.caseInsensitiveMultiMap().add("Retry-After", "1"), Buffer.buffer("slow down"));
      } else {
        ex.proceed();
      }
    });
    HttpResponse<String> r = get("/blocked/x");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.body()).isEqualTo("slow down");
    assertThat(r.headers().firstValue("retry-after")).hasValue("1");
    assertThat(r.headers().firstValue("x-request-id")).isPresent();
    assertThat(up.seen()).isEmpty();
    assertThat(get("/open").statusCode()).isEqualTo(200);
    assertThat(up.seen()).hasSize(1);
  }

  @Test
  void interceptorsRunInOrderAndMayProceedAsynchronously() throws Exception {
    TestUpstream up = upstream();
    startProxy(up.url(), "");
    List<String> order = new CopyOnWriteArrayList<>();
    node.proxy("api")
        .addInterceptor(ex -> {
          order.add("first");
          ex.attributes().put("consumer", "team-a");
          node.vertx().setTimer(50, t -> ex.proceed());
        })
        .addInterceptor(ex -> {
          order.add("second:" + ex.attributes().get("consumer"));
          ex.proceed();
        });
    assertThat(get("/").statusCode()).isEqualTo(200);
    assertThat(order).containsExactly("first", "second:team-a");
    assertThat(up.seen()).hasSize(1);
  }

  @Test
  void aThrowingInterceptorIsA500ProblemNotACrash() throws Exception {
    TestUpstream up = upstream();
    startProxy(up.url(), "");
    node.proxy("api").addInterceptor(ex -> {
      throw new IllegalStateException("bug");
    });
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(r.body()).getString("type")).endsWith("/internal-error");
    assertThat(up.seen()).isEmpty();
    assertThat(get("/again").statusCode()).as("the node keeps serving").isEqualTo(500);
  }

  @Test
  void listenersSeeEveryCompletedExchange() throws Exception {
    TestUpstream up = upstream().handler(req -> req.response().setStatusCode(201).end("created"));
    startProxy(up.url(), "");
    List<CompletedExchange> seen = new CopyOnWriteArrayList<>();
    node.proxy("api").addListener(seen::add);
    HttpResponse<String> r = get("/items/1?x=y");
    dev.harp.testkit.Await.until("the listener saw the exchange", java.time.Duration.ofSeconds(5),
        () -> seen.size() == 1);
    CompletedExchange e = seen.get(0);
    assertThat(e.proxy()).isEqualTo("api");
    assertThat(e.status()).isEqualTo(201);
    assertThat(e.method()).isEqualTo("GET");
    assertThat(e.path()).isEqualTo("/items/1");
    assertThat(e.requestId()).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(e.upstream()).isEqualTo("http://127.0.0.1:" + up.port());
    assertThat(e.bytesOut()).isEqualTo(7);
    assertThat(e.durationNanos()).isPositive();
    assertThat(e.upstreamNanos()).isPositive().isLessThanOrEqualTo(e.durationNanos());
    assertThat(e.failure()).isNull();
  }
}
