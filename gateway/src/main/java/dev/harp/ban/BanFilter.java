package dev.harp.ban;

import dev.harp.engine.ProxyFailure;
import dev.harp.spi.Completion;
import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import dev.harp.spi.FailureType;
import dev.harp.spi.Filter;
import dev.harp.spi.Next;

import java.time.Instant;

/**
 * First in every proxy's pipeline: a banned client is refused before any other work (auth, rate limit, upstream),
 * WebSocket handshakes included. The check is a lookup in the node's copy of the bans, skipped while there is none.
 * On a proxy with a {@code ban:} block it also hears every completed exchange and counts the failures that earn a
 * ban ({@link Counting}); the address is the one {@link Exchange#clientAddress} resolved, so a client behind a
 * trusted proxy is counted and banned, not the proxy.
 */
class BanFilter implements Filter {

  /** The problem type of a refusal; its status is the proxy's {@code ban.status} (403 unless configured). */
  static FailureType failureType(int status) {
    return status == ProxyFailure.BANNED.status ? ProxyFailure.BANNED.failureType()
        : new FailureType(status, ProxyFailure.BANNED.slug(), ProxyFailure.BANNED.title);
  }

  private final String proxy;
  private final BanStore store;
  private final BanMetrics metrics;
  private final FailureType refused;

  BanFilter(String proxy, BanNode node, int status) {
    this.proxy = proxy;
    this.store = node.store;
    this.metrics = node.metrics;
    this.refused = failureType(status);
  }

  @Override
  public void onRequest(Exchange exchange, Next next) {
    if (store.size() == 0) {
      next.proceed();
      return;
    }
    String client = exchange.clientAddress();
    BanRecord ban = store.find(proxy, client);
    if (ban == null) {
      next.proceed();
      return;
    }
    metrics.rejected(proxy);
    long seconds = Math.max(1, (ban.untilMillis() - System.currentTimeMillis() + 999) / 1000);
    exchange.reject(new Failure(refused, "client " + client + " is banned until "
        + Instant.ofEpochMilli(ban.untilMillis()), seconds));
  }

  @Override
  public boolean handlesUpgrades() {
    return true;
  }

  /** The filter of a proxy with a {@code ban:} block: it also counts failures towards a ban. */
  static final class Counting extends BanFilter {

    private final FailureCounter counter;

    Counting(String proxy, BanNode node, BanSettings settings, FailureCounter counter) {
      super(proxy, node, settings.status());
      this.counter = counter;
    }

    @Override
    public void onComplete(Exchange exchange, Completion completion) {
      counter.count(exchange.clientAddress(), completion.status(), completion.failure());
    }
  }
}
