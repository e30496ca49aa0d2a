package dev.harp.dashboard;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-node transaction store: bounded by count and age, every eviction counted, searches newest first. */
class DashboardStoreTest {

  private final AtomicLong now = new AtomicLong(1_000_000);

  private JsonObject event(int i, String proxy, int status) {
    return new JsonObject().put("node", "node-1").put("proxy", proxy).put("method", i % 2 == 0 ? "GET" : "POST")
        .put("path", "/orders/" + i).put("status", status).put("requestId", "r-" + i).put("ts", now.get());
  }

  @Test
  void keepsTheNewestUpToItsCountAndCountsWhatItDrops() {
    TransactionStore store = new TransactionStore(3, 60_000, now::get);
    for (int i = 1; i <= 5; i++) {
      store.add(event(i, "api", 200), new JsonObject());
    }
    assertThat(store.size()).isEqualTo(3);
    assertThat(store.evictedByCount()).isEqualTo(2);
    JsonObject all = store.search(TransactionQuery.from(new JsonObject()));
    assertThat(all.getInteger("matched")).isEqualTo(3);
    assertThat(all.getJsonArray("items").getJsonObject(0).getString("requestId")).isEqualTo("r-5");
    assertThat(store.detail(1)).as("evicted").isNull();
    assertThat(store.detail(5).getJsonObject("detail")).isNotNull();
  }

  @Test
  void expiresByAge() {
    TransactionStore store = new TransactionStore(100, 10_000, now::get);
    store.add(event(1, "api", 200), new JsonObject());
    now.addAndGet(6_000);
    store.add(event(2, "api", 200), new JsonObject());
    now.addAndGet(6_000);
    store.expire();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.expiredByAge()).isEqualTo(1);
  }

  @Test
  void searchCombinesEveryCriterion() {
    TransactionStore store = new TransactionStore(100, 60_000, now::get);
    store.add(event(1, "api", 200), new JsonObject());
    store.add(event(2, "api", 503), new JsonObject());
    store.add(event(3, "billing", 404), new JsonObject());
    store.add(event(4, "api", 201), new JsonObject());
    assertThat(count(store, new JsonObject().put("proxy", "api").put("status", "2xx"))).isEqualTo(2);
    assertThat(count(store, new JsonObject().put("status", "error"))).isEqualTo(1);
    assertThat(count(store, new JsonObject().put("method", "post").put("path", "ORDERS/3"))).isEqualTo(1);
    assertThat(count(store, new JsonObject().put("requestId", "r-2").put("node", "node-1"))).isEqualTo(1);
    assertThat(count(store, new JsonObject().put("from", now.get() + 1))).isZero();
    assertThat(count(store, new JsonObject().put("status", "404"))).isEqualTo(1);
  }

  private static int count(TransactionStore store, JsonObject query) {
    return store.search(TransactionQuery.from(query)).getInteger("matched");
  }
}
