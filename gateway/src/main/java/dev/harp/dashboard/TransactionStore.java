package dev.harp.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * This node's recent transactions, newest first, bounded by count and by age. Written on the observers' loop (one
 * flush at a time) and by the expiry timer; read by searches on any thread without a lock: a search sees a weakly
 * consistent view, which is all a live dashboard needs. Nothing leaves uncounted: evictions by the count cap and
 * by age are counted separately (heartbeat and Prometheus), as are the events the budget sampled out upstream of it.
 */
final class TransactionStore {

  /** One stored transaction: the traffic event as published, plus its redacted detail. */
  record Entry(long id, long ts, JsonObject event, JsonObject detail) {

    JsonObject summary() {
      return event.copy().put("id", id);
    }
  }

  private final int maxCount;
  private final long maxAgeMs;
  private final LongSupplier clock;
  private final ConcurrentLinkedDeque<Entry> entries = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder evictedByCount = new LongAdder();
  private final LongAdder expiredByAge = new LongAdder();
  private final LongAdder stored = new LongAdder();
  private long nextId = 1;

  TransactionStore(int maxCount, long maxAgeMs, LongSupplier clock) {
    this.maxCount = maxCount;
    this.maxAgeMs = maxAgeMs;
    this.clock = clock;
  }

  /** Writers are serialised: the flush and the expiry timer run on different loops. Readers never lock. */
  synchronized void add(JsonObject event, JsonObject detail) {
    if (maxCount == 0) {
      evictedByCount.increment();
      return;
    }
    entries.addFirst(new Entry(nextId++, event.getLong("ts", clock.getAsLong()), event, detail));
    stored.increment();
    if (size.incrementAndGet() > maxCount && entries.pollLast() != null) {
      size.decrementAndGet();
      evictedByCount.increment();
    }
  }

  synchronized void expire() {
    long oldest = clock.getAsLong() - maxAgeMs;
    Entry last = entries.peekLast();
    while (last != null && last.ts() < oldest) {
      if (entries.pollLast() != null) {
        size.decrementAndGet();
        expiredByAge.increment();
      }
      last = entries.peekLast();
    }
  }

  /** Newest first, at most {@code query.limit()} summaries, and how many matched in all. */
  JsonObject search(TransactionQuery query) {
    JsonArray items = new JsonArray();
    int matched = 0;
    for (Entry e : entries) {
      if (query.matches(e.event())) {
        if (matched++ < query.limit()) {
          items.add(e.summary());
        }
      }
    }
    return new JsonObject().put("matched", matched).put("items", items);
  }

  /** The detail view of one transaction: its summary and redacted detail, or null once it left the store. */
  JsonObject detail(long id) {
    Iterator<Entry> it = entries.iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (e.id() == id) {
        return e.summary().put("detail", e.detail());
      }
      if (e.id() < id) {
        return null; // ids only decrease from the head: it is gone
      }
    }
    return null;
  }

  /** The newest transaction with this request id (closest to {@code ts} when ids repeat), or null. */
  JsonObject detailByRequestId(String requestId, Long ts) {
    Entry best = null;
    for (Entry e : entries) {
      if (requestId.equals(e.event().getString("requestId"))) {
        if (ts == null) {
          best = e;
          break;
        }
        if (best == null || Math.abs(e.ts() - ts) < Math.abs(best.ts() - ts)) {
          best = e;
        }
      }
    }
    return best == null ? null : best.summary().put("detail", best.detail());
  }

  int size() {
    return size.get();
  }

  int maxCount() {
    return maxCount;
  }

  long maxAgeMs() {
    return maxAgeMs;
  }

  long stored() {
    return stored.sum();
  }

  long evictedByCount() {
    return evictedByCount.sum();
  }

  long expiredByAge() {
    return expiredByAge.sum();
  }
}
