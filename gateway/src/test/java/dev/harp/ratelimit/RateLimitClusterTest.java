package dev.harp.ratelimit;

import dev.harp.ratelimit.OfferedLoad.Sample;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits on a real 3-member cluster (three Vert.x nodes, three Hazelcast members over TCP on loopback), load
 * spread over all three. Each test keys its requests by a fresh {@code X-Run} header value, so tests share the
 * cluster but never a bucket.
 */
class RateLimitClusterTest {

  static final int RATE = 100;
  static final int BURST = 40;
  static final long T = 1_000_000_000L / RATE;
  static final int QUOTA = 50;

  private static TestUpstream upstream;
  private static HarpTestCluster cluster;
  private static Vertx clients;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startCluster() {
    upstream = TestUpstream.start();
    clients = Vertx.vertx();
    cluster = HarpTestCluster.start(3, spec -> spec.baseConfig() + """
        proxies:
          - name: exact
            bind: 127.0.0.1
            port: %1$d
            upstream: {endpoints: ['%5$s']}
            rateLimit:
              mode: cluster
              by: 'header:X-Run'
              clusterTimeout: 2s
              onClusterFailure: deny
              limits: [{requests: %6$d, per: 1s, burst: %7$d}]
          - name: local
            bind: 127.0.0.1
            port: %2$d
            upstream: {endpoints: ['%5$s']}
            rateLimit:
              mode: local
              by: 'header:X-Run'
              syncInterval: 100ms
              limits: [{requests: %6$d, per: 1s, burst: %7$d}]
          - name: quota
            bind: 127.0.0.1
            port: %3$d
            upstream: {endpoints: ['%5$s']}
            rateLimit:
              by: 'header:X-Run'
              clusterTimeout: 2s
              onClusterFailure: deny
              limits: [{requests: %8$d, per: 1h}]
              routes:
                - {path: /local, mode: local, limits: [{requests: %8$d, per: 1h}]}
          - name: mixed
            bind: 127.0.0.1
            port: %4$d
            upstream: {endpoints: ['%5$s']}
            rateLimit:
              by: 'header:X-Run'
              clusterTimeout: 2s
              limits: [{name: fast, requests: 20, per: 1s, burst: 5}, {name: hourly, requests: 30, per: 1h}]
              routes:
                - {name: login, path: /login, methods: [POST], limits: [{requests: 3, per: 1m}]}
        """.formatted(spec.proxyPort(0), spec.proxyPort(1), spec.proxyPort(2), spec.proxyPort(3), upstream.url(),
        RATE, BURST, QUOTA));
    // Warm up every proxy on every member (connections, map proxies, JIT) so the first measured window is not a
    // cold start: a fresh key per proxy, far below its limits.
    for (int proxy = 0; proxy < 4; proxy++) {
      MultiMap warm = run("warm-up-" + proxy);
      Await.result(OfferedLoad.run(clients, ports(proxy), "/warm-up", i -> warm, 200, Duration.ofMillis(300), 30, 6),
          Duration.ofSeconds(60));
    }
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (clients != null) {
      Await.result(clients.close());
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private static List<Integer> ports(int proxy) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      ports.add(cluster.spec(i).proxyPort(proxy));
    }
    return ports;
  }

  private static MultiMap run(String id) {
    return MultiMap.caseInsensitiveMultiMap().add("X-Run", id);
  }

  /** 3x the limit over the three members for six one-second windows. */
  private static List<Sample> overload(int proxy) {
    MultiMap headers = run(UUID.randomUUID().toString());
    return Await.result(OfferedLoad.run(clients, ports(proxy), "/items", i -> headers, 3.0 * RATE,
        Duration.ofSeconds(6), 3 * RATE * 6 + 1, 64), Duration.ofSeconds(120));
  }

  @Test
  void clusterModeAdmitsTheLimitPerWindowWithinOnePercentAcrossThreeMembers() {
    List<Sample> samples = overload(0);
    Accuracy.Run r = Accuracy.analyse(samples, 1_000_000_000L, BURST * T, RATE);
    System.out.println("cluster mode, 3x load over 3 members: " + Accuracy.describe(r));
    // 200 or 429; a 503 only where a cluster call outlived clusterTimeout (2 s, seen on a starved machine) and the
    // policy's onClusterFailure: deny refused it. Neither admits, so neither can hide an over-admission.
    assertThat(r.otherStatuses().keySet()).as("statuses other than 200/429").isSubsetOf(503);
    // Never more: GCRA's bound, rate x span + burst, over the whole run and in every one-second window (+1%).
    assertThat((double) r.admitted()).isLessThanOrEqualTo(RATE * r.wideSeconds() + BURST + 1);
    for (Accuracy.Window w : r.windows()) {
      assertThat((double) w.surely()).as("window %d", w.index()).isLessThanOrEqualTo(1.01 * (RATE + BURST));
    }
    // Never less: no request was refused while the key was under its limit. (Under saturation these two together
    // pin each window to the limit; the printed counts show how close a run got.)
    assertThat(Accuracy.unjustifiedRefusals(samples, T, BURST)).isEmpty();
    assertThat(r.refused()).as("the load did exceed the limit").isPositive();
  }

  @Test
  void localModeStaysWithinItsDocumentedBound() {
    List<Sample> samples = overload(1);
    Accuracy.Run r = Accuracy.analyse(samples, 1_000_000_000L, BURST * T, RATE);
    System.out.println("local mode, 3x load over 3 members: " + Accuracy.describe(r));
    assertThat(r.other()).isZero();
    // docs/rate-limiting.md: per window W, at most r·W + b + (N−1)·(r·(2I + 2L) + b + 1); L (sync latency) < 50 ms.
    double bound = RATE + BURST + 2 * (RATE * (2 * 0.1 + 2 * 0.05) + BURST + 1);
    for (Accuracy.Window w : r.windows()) {
      assertThat((double) w.surely()).as("window %d vs bound %.0f", w.index(), bound).isLessThanOrEqualTo(bound);
    }
    assertThat((double) r.admitted()).isLessThanOrEqualTo(RATE * r.wideSeconds() + bound - RATE);
    // How close local mode gets under steady load is a property of its weights, checked on a replayed clock in
    // RateLimitLocalModeSimulationTest; here the counts are printed.
  }

  @Test
  void parallelClientsOnOneKeyFromEveryMemberNeverOverAdmit() {
    // 50 per hour: refills one every 72 s, so whatever the timing exactly the burst of 50 passes. 600 requests,
    // 60 in flight at once, spread over the three members as fast as they go.
    MultiMap headers = run(UUID.randomUUID().toString());
    List<Sample> samples = Await.result(OfferedLoad.run(clients, ports(2), "/items", i -> headers, 100_000,
        Duration.ofSeconds(30), 600, 60), Duration.ofSeconds(90));
    assertThat(samples).hasSize(600).allSatisfy(s -> assertThat(s.status()).isIn(200, 429));
    List<Sample> admitted = samples.stream().filter(Sample::admitted).toList();
    assertThat(admitted).hasSize(QUOTA);
    // Each admission was its own atomic step: the remaining counts seen are exactly 49, 48, ..., 0, once each.
    List<Long> remaining = admitted.stream().map(s -> remainingOf(s.headers().get("RateLimit"))).sorted().toList();
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < QUOTA; i++) {
      expected.add(i);
    }
    assertThat(remaining).containsExactlyElementsOf(expected);
    assertThat(admitted.stream().mapToInt(Sample::portIndex).distinct().count()).as("every member admitted some")
        .isEqualTo(3);
  }

  @Test
  void manyKeysAtOnceAreEachExactWhileSharingClusterCalls() {
    // 40 keys, 55 requests each, all interleaved and in flight together over the three members: each key admits
    // exactly its 50, whichever member each request went to and whichever rode a coalesced call.
    String run = UUID.randomUUID().toString();
    int keys = 40;
    List<Sample> samples = Await.result(OfferedLoad.run(clients, ports(2), "/items",
        i -> run(run + "-" + (i % keys)), 100_000, Duration.ofSeconds(60), keys * (QUOTA + 5), 90),
        Duration.ofSeconds(120));
    assertThat(samples).hasSize(keys * (QUOTA + 5)).allSatisfy(s -> assertThat(s.status()).isIn(200, 429));
    java.util.Map<Integer, Long> admittedPerKey = samples.stream().filter(Sample::admitted)
        .collect(java.util.stream.Collectors.groupingBy(s -> s.index() % keys, java.util.stream.Collectors.counting()));
    assertThat(admittedPerKey).hasSize(keys).allSatisfy((key, admitted) -> assertThat(admitted).isEqualTo(QUOTA));
    long calls = 0;
    for (int i = 0; i < 3; i++) {
      var t = cluster.node(i).metrics().registry().find("harp_ratelimit_cluster_call_duration").tag("proxy", "quota")
          .timer();
      calls += t == null ? 0 : t.count();
    }
    System.out.println(keys + " keys x " + (QUOTA + 5) + " requests over 3 members: " + QUOTA
        + " admitted for each key; " + samples.size() + " decisions (and the warm-up's) in " + calls
        + " cluster calls (the rest coalesced)");
  }

  @Test
  void localModeBurstFromEveryMemberStaysWithinTheBound() {
    MultiMap headers = run(UUID.randomUUID().toString());
    List<Sample> samples = Await.result(OfferedLoad.run(clients, ports(2), "/local", i -> headers, 100_000,
        Duration.ofSeconds(30), 600, 60), Duration.ofSeconds(90));
    long admitted = samples.stream().filter(Sample::admitted).count();
    System.out.println("local mode, 600 parallel requests on a 50/h key over 3 members: admitted " + admitted);
    // r·W is nil at 50/h: the bound is b + (N−1)·(b + 1 + r·(2I + 2L)) = 50 + 2·51 (+ a fraction).
    assertThat(admitted).isBetween((long) QUOTA, QUOTA + 2L * (QUOTA + 1) + 1);
  }

  @Test
  void headersTellTheClientWhereItStandsAndA429IsAProblem() throws Exception {
    String id = UUID.randomUUID().toString();
    String base = "http://127.0.0.1:" + cluster.spec(0).proxyPort(3);
    HttpResponse<String> first = send(HttpRequest.newBuilder(URI.create(base + "/a")).header("X-Run", id).build());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("RateLimit-Policy"))
        .hasValue("\"fast\";q=20;w=1, \"hourly\";q=30;w=3600");
    assertThat(first.headers().firstValue("RateLimit")).hasValue("\"fast\";r=4;t=1, \"hourly\";r=29;t=120");

    // The route policy applies on top of the proxy-wide one: 3 logins a minute, and each also counts as a request.
    String node2 = "http://127.0.0.1:" + cluster.spec(1).proxyPort(3);
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(node2 + "/login"))
          .header("X-Run", id).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(login.headers().allValues("RateLimit-Policy")).hasSize(2);
    }
    HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(node2 + "/login"))
        .header("X-Run", id).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
        assertThat(Long.parseLong(v)).isBetween(1L, 20L));
    assertThat(refused.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).contains(";r=0;"));
    JsonObject problem = new JsonObject(refused.body());
    assertThat(problem.getString("type")).isEqualTo("https://harp.dev/problems/rate-limited");
    assertThat(problem.getInteger("status")).isEqualTo(429);
    assertThat(problem.getString("detail")).contains("'login:3-per-1m'");
    assertThat(problem.getString("requestId")).isEqualTo(refused.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(upstream.seen().stream().filter(s -> s.uri().equals("/login") && id.equals(s.headers().get("X-Run"))))
        .as("the refused login never reached the upstream").hasSize(3);

    // 1 + 3 requests so far under the hourly limit of 30, from two different members.
    HttpResponse<String> later = send(HttpRequest.newBuilder(URI.create(base + "/b")).header("X-Run", id).build());
    assertThat(later.headers().firstValue("RateLimit")).hasValueSatisfying(v ->
        assertThat(v).contains("\"hourly\";r=25;"));
    assertThat(cluster.node(1).metrics().scrape())
        .contains("harp_ratelimit_decisions_total{outcome=\"limited\",policy=\"route:login\",proxy=\"mixed\","
            + "source=\"cluster\"} 1.0");
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static final Pattern REMAINING = Pattern.compile(";r=(\\d+)");

  private static long remainingOf(String header) {
    Matcher m = REMAINING.matcher(header);
    assertThat(m.find()).as("RateLimit header %s", header).isTrue();
    return Long.parseLong(m.group(1));
  }
}
