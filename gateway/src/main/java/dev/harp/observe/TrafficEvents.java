package dev.harp.observe;

import dev.harp.engine.CompletedExchange;
import dev.harp.engine.ExchangeListener;
import dev.harp.engine.ProxyExchange;

import java.util.concurrent.atomic.LongAdder;

/**
 * One proxy's feed into the node's traffic events: admits an exchange if the node's budget allows, and counts what
 * was published and what was sampled out (for {@code harp.stats} and Prometheus). Per exchange this costs a clock
 * read, a volatile read and a {@link LongAdder} increment when sampled out; nothing is built or encoded here.
 */
final class TrafficEvents implements ExchangeListener {

  private final TrafficBudget budget;
  private final TrafficPublisher publisher;
  private final LongAdder published = new LongAdder();
  private final LongAdder sampledOut = new LongAdder();

  TrafficEvents(TrafficBudget budget, TrafficPublisher publisher) {
    this.budget = budget;
    this.publisher = publisher;
  }

  @Override
  public void onComplete(CompletedExchange exchange) {
    onComplete(exchange, null);
  }

  @Override
  public void onComplete(CompletedExchange exchange, ProxyExchange live) {
    if (budget.tryAcquire() && publisher.offer(exchange, live)) {
      published.increment();
    } else {
      sampledOut.increment();
    }
  }

  /** Events handed to the publisher since start (cumulative). */
  long published() {
    return published.sum();
  }

  /** Events left out by the budget or a full queue since start (cumulative). */
  long sampledOut() {
    return sampledOut.sum();
  }
}
