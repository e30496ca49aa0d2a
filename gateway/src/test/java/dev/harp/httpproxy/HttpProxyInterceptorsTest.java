package dev.harp.httpproxy;

import dev.harp.config.ConfigLoader;
import dev.harp.testkit.ConfigFileNode;
import dev.harp.testkit.Ports;
import dev.harp.testkit.ServicePlugin;
import dev.harp.testkit.TestAdmin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.BodyTransformers;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * vertx-http-proxy interceptors (the library's own builder and body transformers, and hand-written ones) on a real
 * node in front of a real loopback upstream: what the upstream receives and what the client gets.
 */
class HttpProxyInterceptorsTest {

  @TempDir
  Path dir;
  private final ConfigFileNode harp = new ConfigFileNode();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** Ports of the second and third proxy, where a test needs several. */
  private final int[] ports = {Ports.free(), Ports.free()};
  /** The body the upstream last received. */
  private final AtomicReference<String> upstreamBody = new AtomicReference<>();

  @AfterEach
  void stop() {
    harp.close();
    TestInterceptorsFactory.SETS.clear();
  }

  private void start(String block) throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), TestInterceptorsFactory.class);
    harp.start(harp.writeConfig(dir, block));
  }

  /** The upstream answers with the JSON it got, plus the fields it is given. */
  private void echoJson(Map<String, String> headers) {
    harp.upstream.handler(req -> req.body().onSuccess(b -> {
      upstreamBody.set(b.toString());
      headers.forEach(req.response()::putHeader);
      req.response().putHeader("Content-Type", "application/json").end(b.length() == 0 ? Buffer.buffer("{}") : b);
    }));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(harp.proxy(path));
  }

  private static void use(String name, ProxyInterceptor... interceptors) {
    TestInterceptorsFactory.SETS.put(name, () -> List.of(interceptors));
  }

  @Test
  void pathPrefixesAreRemovedAndAddedAsTheUpstreamSeesThem() throws Exception {
    start("http-proxy-interceptors: {removePathPrefix: /api, addPathPrefix: /v1}");

    assertThat(send(request("/api/items?x=1")).statusCode()).isEqualTo(200);
    assertThat(send(request("/other")).statusCode()).isEqualTo(200);

    assertThat(harp.upstream.seen()).extracting(s -> s.uri()).containsExactly("/v1/items?x=1", "/v1/other");
  }

  @Test
  void requestHeaderAndQueryTransformsReachTheUpstream() throws Exception {
    start("""
        http-proxy-interceptors:
          setRequestHeaders: {X-Api-Version: "2"}
          removeRequestHeaders: [Cookie]
          setQueryParams: {tenant: acme}
          removeQueryParams: [debug]
        """);

    HttpResponse<String> r = send(request("/items?debug=1&page=2").header("Cookie", "s=1").header("X-Keep", "k"));

    assertThat(r.statusCode()).isEqualTo(200);
    var seen = harp.upstream.seen().get(0);
    assertThat(seen.uri()).isEqualTo("/items?page=2&tenant=acme");
    assertThat(seen.headers().get("X-Api-Version")).isEqualTo("2");
    assertThat(seen.headers().get("Cookie")).isNull();
    assertThat(seen.headers().get("X-Keep")).isEqualTo("k");
    assertThat(seen.headers().get("X-Request-Id")).as("HARP's own upstream fields stay").isNotNull();
  }

  @Test
  void responseHeaderTransformsReachTheClientAndTheBodyStillStreams() throws Exception {
    start("""
        http-proxy-interceptors:
          setResponseHeaders: {X-Served-By: harp}
          removeResponseHeaders: [X-Internal]
        """);
    harp.upstream.handler(req -> req.response().putHeader("X-Internal", "secret").setChunked(true)
        .end("streamed body"));

    HttpResponse<String> r = send(request("/x"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Served-By")).hasValue("harp");
    assertThat(r.headers().firstValue("X-Internal")).isEmpty();
    assertThat(r.headers().firstValue("Transfer-Encoding")).as("relayed as it streams, not buffered")
        .hasValue("chunked");
    assertThat(r.body()).isEqualTo("streamed body");
  }

  @Test
  void bodyTransformersChangeTheRequestTheUpstreamGetsAndTheResponseTheClientGets() throws Exception {
    use("json", ProxyInterceptor.builder()
        .transformingRequestBody(BodyTransformers.jsonObject(j -> j.put("signedBy", "harp")))
        .transformingResponseBody(BodyTransformers.jsonObject(j -> new JsonObject().put("data", j)))
        .build());
    start("test-interceptors: {use: json}");
    echoJson(Map.of());

    HttpResponse<String> r = send(request("/orders").header("Content-Type", "application/json")
        .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"qty\":2}")));

    assertThat(upstreamBody.get()).isEqualTo("{\"qty\":2,\"signedBy\":\"harp\"}");
    assertThat(harp.upstream.seen().get(0).headers().get("Content-Length"))
        .isEqualTo(Integer.toString(upstreamBody.get().length()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject().put("data",
        new JsonObject().put("qty", 2).put("signedBy", "harp")));
    assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(r.body().length()));
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void bodiesOverTheLimitAreRefusedWithAProblemNotBuffered() throws Exception {
    use("json", ProxyInterceptor.builder()
        .transformingRequestBody(BodyTransformers.jsonObject(j -> j))
        .transformingResponseBody(BodyTransformers.jsonObject(j -> j))
        .build());
    start("test-interceptors: {use: json, maxBodySize: 64}");
    String big = "{\"pad\":\"" + "x".repeat(200) + "\"}";
    harp.upstream.handler(req -> req.response().putHeader("Content-Type", "application/json").end(big));

    HttpResponse<String> request = send(request("/in").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(big)));
    HttpResponse<String> response = send(request("/out"));

    assertThat(request.statusCode()).isEqualTo(413);
    assertThat(request.body()).contains("request-body-too-large").contains("64 bytes");
    assertThat(harp.upstream.seen()).extracting(s -> s.uri()).containsExactly("/out");
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("response-body-too-large").doesNotContain("xxxx");
  }

  @Test
  void methodAndStatusChangesAndALocalAnswerMap() throws Exception {
    use("status", new ProxyInterceptor() {
      @Override
      public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        if (context.request().getURI().startsWith("/local")) {
          return Future.succeededFuture(context.request().release().response().setStatusCode(418)
              .putHeader("X-Local", "yes").setBody(Body.body(Buffer.buffer("short and stout"))));
        }
        context.request().setMethod(HttpMethod.PUT);
        return context.sendRequest();
      }

      @Override
      public Future<Void> handleProxyResponse(ProxyContext context) {
        context.response().setStatusCode(context.response().getStatusCode() + 1);
        return context.sendResponse();
      }
    });
    start("test-interceptors: {use: status}");

    HttpResponse<String> relayed = send(request("/up"));
    HttpResponse<String> local = send(request("/local"));

    assertThat(relayed.statusCode()).isEqualTo(201);
    assertThat(relayed.body()).isEqualTo("ok");
    assertThat(local.statusCode()).as("the response phase runs for a local answer too, as in the library")
        .isEqualTo(419);
    assertThat(local.headers().firstValue("X-Local")).hasValue("yes");
    assertThat(local.body()).isEqualTo("short and stout");
    assertThat(harp.upstream.seen()).extracting(s -> s.method() + " " + s.uri()).containsExactly("PUT /up");
  }

  @Test
  void aResponsePhaseThatContinuesLaterStillAnswers() throws Exception {
    use("later", new ProxyInterceptor() {
      @Override
      public Future<Void> handleProxyResponse(ProxyContext context) {
        Vertx vertx = Vertx.currentContext().owner();
        return vertx.timer(5).compose(v -> {
          context.response().putHeader("X-Later", "1");
          return context.sendResponse();
        });
      }
    });
    start("test-interceptors: {use: later}");
    harp.upstream.handler(req -> req.response().putHeader("ETag", "\"v1\"").end("hello"));

    HttpResponse<String> r = send(request("/x"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello");
    assertThat(r.headers().firstValue("X-Later")).hasValue("1");
    assertThat(r.headers().firstValue("ETag")).hasValue("\"v1\"");
  }

  @Test
  void anInterceptorThatThrowsGivesAProblemResponseNotAHang() throws Exception {
    use("throws-on-request", new ProxyInterceptor() {
      @Override
      public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        throw new IllegalStateException("boom on request");
      }
    });
    use("throws-on-response", new ProxyInterceptor() {
      @Override
      public Future<Void> handleProxyResponse(ProxyContext context) {
        throw new IllegalStateException("boom on response");
      }
    });
    use("fails-on-response", new ProxyInterceptor() {
      @Override
      public Future<Void> handleProxyResponse(ProxyContext context) {
        return Future.failedFuture(new io.vertx.httpproxy.impl.ProxyFailure(403));
      }
    });
    ServicePlugin.install(dir.resolve("plugins"), TestInterceptorsFactory.class);
    harp.start(Files.writeString(dir.resolve("harp.yaml"), """
        node: {name: file-node, drainTimeout: 2s, eventLoops: 1}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        proxies:
        %s
        """.formatted(harp.adminPort, TestAdmin.USER_YAML,
        proxy("a", harp.proxyPort, "throws-on-request") + proxy("b", ports[0], "throws-on-response")
            + proxy("c", ports[1], "fails-on-response"))));

    HttpResponse<String> onRequest = send(request("/x"));
    HttpResponse<String> onResponse = send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + ports[0] + "/y")));
    HttpResponse<String> failed = send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + ports[1] + "/z")));

    assertThat(onRequest.statusCode()).isEqualTo(500);
    assertThat(onRequest.body()).contains("internal-error").contains("boom on request");
    assertThat(onResponse.statusCode()).isEqualTo(500);
    assertThat(onResponse.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(onResponse.body()).contains("boom on response").doesNotContain("ok");
    assertThat(failed.statusCode()).isEqualTo(403);
    assertThat(failed.body()).contains("interceptor-refused");
    assertThat(harp.upstream.seen()).extracting(s -> s.uri()).containsExactly("/y", "/z");
  }

  private String proxy(String name, int port, String use) {
    return """
          - name: %s
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            test-interceptors: {use: %s}
        """.formatted(name, port, harp.upstream.url(), use);
  }

  @Test
  void configProblemsAreReportedWithTheirKeyPaths() {
    String yaml = """
        proxies:
          - name: api
            bind: 127.0.0.1
            port: 18080
            upstream: {endpoints: ['http://127.0.0.1:9']}
            http-proxy-interceptors:
              addPathPrefix: v1
              removePathPrefix: /api/
              setRequestHeaders: {"Bad Header": x, X-Ok: "a\\nb"}
              removeResponseHeaders: [Content-Length]
              maxBodySize: 0
              rewrite: yes
        """;
    assertThatThrownBy(() -> ConfigLoader.parse(yaml, "test", Map.of(), null))
        .hasMessageContaining("proxies[0].http-proxy-interceptors.addPathPrefix: must be a path such as /v1")
        .hasMessageContaining("proxies[0].http-proxy-interceptors.removePathPrefix: must be a path")
        .hasMessageContaining("proxies[0].http-proxy-interceptors.setRequestHeaders.Bad Header: 'Bad Header' is not"
            + " a header field name")
        .hasMessageContaining("proxies[0].http-proxy-interceptors.setRequestHeaders.X-Ok: a header field value must"
            + " not contain CR, LF or NUL")
        .hasMessageContaining("proxies[0].http-proxy-interceptors.removeResponseHeaders[0]: Content-Length frames"
            + " the message")
        .hasMessageContaining("proxies[0].http-proxy-interceptors.maxBodySize")
        .hasMessageContaining("proxies[0].http-proxy-interceptors.rewrite");
  }
}
