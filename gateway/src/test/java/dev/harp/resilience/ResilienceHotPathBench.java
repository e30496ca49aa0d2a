package dev.harp.resilience;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What resilience costs on the request path, not a regression test: run with {@code -Dharp.bench=true}. One node
 * serves two proxies in front of the same upstream: {@code plain} (no resilience: the one-attempt default policy)
 * and {@code resilient} (retry, circuit breaker, outlier detection on, nothing failing). A Vert.x client in the same
 * JVM loads each in turn, interleaved for several rounds; the figure is process CPU time per request (client and
 * upstream included, identical for both), whose difference is the cost of the resilience policy.
 */
@EnabledIfSystemProperty(named = "harp.bench", matches = "true")
class ResilienceHotPathBench {

  private static final int ROUNDS = 7;
  private static final Duration RUN = Duration.ofSeconds(4);
  private static final int CONNECTIONS = 16;

  @Test
  void cpuPerRequestWithAndWithoutResilience() {
    TestUpstream up = TestUpstream.start().handler(req -> req.response().end("x".repeat(1024)));
    int plain = Ports.free();
    int resilient = Ports.free();
    HarpNode node = HarpTestCluster.single("""
        node: {name: bench, eventLoops: 1}
        admin: {bind: 127.0.0.1, port: %d, users: [{name: test-admin, passwordHash: '$2a$04$tR2pjMi9Gik2odr9jLmtN.GXaxvmFpJPidV7IJj1E5Ydp0LdymYbm'}]}
        proxies:
          - {name: plain, bind: 127.0.0.1, port: %d, upstream: {endpoints: [%s]}}
          - name: resilient
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: [%s]}
            retry: {}
            circuitBreaker: {}
            outlier: {}
        """.formatted(Ports.free(), plain, up.url(), resilient, up.url()));
    Vertx load = Vertx.vertx();
    try {
      HttpClient client = load.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(CONNECTIONS));
      run(load, client, plain, Duration.ofSeconds(8)); // warm-up, both paths
      run(load, client, resilient, Duration.ofSeconds(8));
      double[] p = new double[ROUNDS];
      double[] r = new double[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        p[i] = run(load, client, plain, RUN);
        r[i] = run(load, client, resilient, RUN);
        System.out.printf("round %d: plain %.2f us/req, resilient %.2f us/req%n", i + 1, p[i], r[i]);
      }
      Arrays.sort(p);
      Arrays.sort(r);
      System.out.printf("RESILIENCE HOT PATH: median plain %.2f us/req, resilient %.2f us/req (%+.2f us, %+.1f%%)%n",
          p[ROUNDS / 2], r[ROUNDS / 2], r[ROUNDS / 2] - p[ROUNDS / 2],
          100 * (r[ROUNDS / 2] - p[ROUNDS / 2]) / p[ROUNDS / 2]);
    } finally {
      Await.result(load.close());
      Await.result(node.stop());
      up.close();
    }
  }

  /** Closed-loop load for {@code duration}; returns process CPU µs per completed request. */
  private static double run(Vertx vertx, HttpClient client, int port, Duration duration) {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    List<Future<Void>> loops = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      Promise<Void> finished = Promise.promise();
      vertx.runOnContext(v -> loop(client, port, end, done, finished));
      loops.add(finished.future());
    }
    Await.result(Future.all(loops), Duration.ofSeconds(60));
    long cpu = os.getProcessCpuTime() - cpuBefore;
    return cpu / 1_000.0 / Math.max(1, done.get());
  }

  private static void loop(HttpClient client, int port, long end, AtomicLong done, Promise<Void> finished) {
    if (System.nanoTime() >= end) {
      finished.tryComplete();
      return;
    }
    client.request(HttpMethod.GET, port, "127.0.0.1", "/bench")
        .compose(req -> req.send().compose(resp -> resp.body()))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            done.incrementAndGet();
          }
          loop(client, port, end, done, finished);
        });
  }
}
