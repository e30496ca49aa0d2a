package dev.harp.resilience;

import dev.harp.testkit.Await;
import dev.harp.testkit.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promise in one test: one of two endpoints dies in the middle of steady GET traffic, and the clients see no
 * error at all. Requests in flight on the dying endpoint (connections reset) and those that meet the refused port
 * afterwards are retried on the other; outlier detection then ejects the dead one so no more requests pay for it.
 */
class ResilienceKillEndpointTest {

  private static final int CLIENTS = 4;
  private static final int BEFORE_KILL = 300;
  private static final int AFTER_KILL = 600;

  private final SingleNode harp = new SingleNode();

  @AfterEach
  void close() {
    harp.close();
  }

  @Test
  void killingOneOfTwoEndpointsUnderSteadyGetLoadGivesZeroClientErrors() throws Exception {
    TestUpstream a = harp.upstream().handler(req -> req.response().end("a"));
    TestUpstream b = harp.upstream().handler(req -> req.response().end("b"));
    harp.start("""
        upstream: {endpoints: [%s, %s]}
        retry: {}
        """.formatted(a.url(), b.url()));

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    AtomicInteger completed = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(pool.submit(() -> {
        // Bounded: each client stops on the flag, or after a hard cap of requests.
        for (int i = 0; i < 5_000 && !stop.get(); i++) {
          String outcome;
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + harp.proxyPort + "/items/" + i)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
            outcome = r.statusCode() == 200 ? "200 from " + r.body() : "status " + r.statusCode() + ": " + r.body();
          } catch (Exception e) {
            outcome = "exception " + e.getClass().getSimpleName();
          }
          outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
          completed.incrementAndGet();
        }
      }));
    }

    Await.until(BEFORE_KILL + " requests before the kill", Duration.ofSeconds(60),
        () -> completed.get() >= BEFORE_KILL);
    int atKill = completed.get();
    a.close();
    Await.until(AFTER_KILL + " requests after the kill", Duration.ofSeconds(120),
        () -> completed.get() >= atKill + AFTER_KILL);
    stop.set(true);
    for (Future<?> f : clients) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    double retried = harp.node.metrics().registry().find("harp_retries").counters().stream()
        .mapToDouble(c -> c.count()).sum();
    double ejections = harp.node.metrics().registry().find("harp_outlier_ejections").counters().stream()
        .mapToDouble(c -> c.count()).sum();
    System.out.printf("KILL-ENDPOINT RESULT: %d requests (%d before the kill), outcomes %s, retried %d, "
            + "ejections %d, upstream a saw %d, b saw %d%n", completed.get(), atKill, outcomes, (long) retried,
        (long) ejections, a.seen().size(), b.seen().size());

    assertThat(outcomes.keySet()).as("client-visible outcomes").containsExactlyInAnyOrder("200 from a", "200 from b");
    assertThat(outcomes.get("200 from a").sum()).isPositive();
    // Once, or again after the 10 s base ejection if the machine is slow enough for the run to outlast it.
    assertThat(ejections).as("the dead endpoint was ejected").isGreaterThanOrEqualTo(1.0);
    assertThat(b.seen().size()).as("b took the traffic after the kill").isGreaterThanOrEqualTo(AFTER_KILL);
  }
}
