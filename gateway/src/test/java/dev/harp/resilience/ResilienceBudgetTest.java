package dev.harp.resilience;

import dev.harp.observe.EventAddresses;
import dev.harp.testkit.Await;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** With every endpoint failing, retries cannot multiply the load on the upstream beyond the budget. */
class ResilienceBudgetTest {

  private static final int REQUESTS = 200;

  private final SingleNode harp = new SingleNode();

  @AfterEach
  void close() {
    harp.close();
  }

  @Test
  void withEveryEndpointFailingUpstreamAttemptsStayWithinTheBudget() throws Exception {
    TestUpstream a = harp.upstream().handler(req -> req.response().setStatusCode(503).end("down"));
    TestUpstream b = harp.upstream().handler(req -> req.response().setStatusCode(503).end("down"));
    harp.start("""
        upstream: {endpoints: [%s, %s]}
        retry:
          maxAttempts: 3
          backoff: {base: 1ms, max: 2ms}
          budget: {percent: 20, minPerSecond: 0, window: 30s}
        outlier: {consecutiveFailures: 0}
        """.formatted(a.url(), b.url()));
    List<JsonObject> retryReports = new CopyOnWriteArrayList<>();
    harp.node.vertx().eventBus().<JsonObject>consumer(EventAddresses.RETRIES, m -> retryReports.add(m.body()));

    AtomicInteger next = new AtomicInteger();
    AtomicInteger unavailable = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> clients = new CopyOnWriteArrayList<>();
    for (int c = 0; c < 4; c++) {
      clients.add(pool.submit(() -> {
        while (next.getAndIncrement() < REQUESTS) {
          HttpResponse<String> r = Client.get(harp.proxyPort, "/x");
          if (r.statusCode() == 503) {
            unavailable.incrementAndGet();
          }
        }
      }));
    }
    for (Future<?> f : clients) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();

    int attempts = a.seen().size() + b.seen().size();
    int retries = attempts - REQUESTS;
    System.out.printf("RETRY-BUDGET RESULT: %d requests, %d upstream attempts (%d retries; without a budget up to "
        + "%d)%n", REQUESTS, attempts, retries, REQUESTS * 3);
    assertThat(unavailable.get()).isEqualTo(REQUESTS);
    // 20% of the requests seen in the window: each retry is taken atomically against the requests counted so far.
    assertThat(retries).isBetween(REQUESTS / 10, REQUESTS * 20 / 100);
    double refused = harp.node.metrics().registry().find("harp_retry_budget_exhausted").functionCounter().count();
    // Every request could have been retried twice; what the budget did not allow was refused.
    assertThat(refused).isPositive();
    // harp.retries reports once a second: wait for the reports to cover every retry and the refusals.
    Await.until("harp.retries reports adding up to " + retries + " retries and some refusals",
        Duration.ofSeconds(10), () -> retryReports.stream().mapToLong(r -> r.getLong("retries")).sum() == retries
            && retryReports.stream().mapToLong(r -> r.getLong("budgetExhausted")).sum() == (long) refused);
  }
}
