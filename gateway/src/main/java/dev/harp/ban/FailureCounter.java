package dev.harp.ban;

import com.hazelcast.map.IMap;
import dev.harp.net.AddressSet;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.stream.Collectors;

/**
 * Counts a proxy's failures per client in the cluster ({@link FailureWindowProcessor}, one atomic step on the key's
 * owner) and bans the client, everywhere, the moment it crosses the threshold. Off the request path: it runs when an
 * exchange has completed. Allow-listed clients and trusted proxies are never counted; a count the cluster could not
 * take is counted as lost in metrics.
 */
final class FailureCounter {

  private static final Logger LOG = LoggerFactory.getLogger("harp.ban");

  private final String proxy;
  private final BanSettings settings;
  private final AddressSet trustedProxies;
  private final IMap<String, long[]> failures;
  private final BanService bans;
  private final BanMetrics metrics;
  private final String reason;

  FailureCounter(String proxy, BanSettings settings, AddressSet trustedProxies, IMap<String, long[]> failures,
                 BanService bans, BanMetrics metrics) {
    this.proxy = proxy;
    this.settings = settings;
    this.trustedProxies = trustedProxies;
    this.failures = failures;
    this.bans = bans;
    this.metrics = metrics;
    this.reason = settings.threshold() + " answers " + settings.statuses().stream().sorted().map(String::valueOf)
        .collect(Collectors.joining("/")) + " within " + dev.harp.config.Durations.format(settings.window());
  }

  /**
   * An exchange of {@code client} ended with {@code status}; {@code failure} is the slug of its failure, or null.
   * A refusal of a client already banned is not counted again.
   */
  void count(String client, int status, String failure) {
    if (!settings.statuses().contains(status) || "banned".equals(failure)) {
      return;
    }
    if (settings.allow().contains(client) || trustedProxies.contains(client)) {
      return;
    }
    metrics.failureCounted(proxy);
    Context context = Vertx.currentContext();
    Future<Boolean> counted;
    try {
      counted = Future.fromCompletionStage(failures.submitToKey(BanRecord.key(proxy, client),
          new FailureWindowProcessor(settings.threshold(), settings.window().toNanos())), context);
    } catch (RuntimeException ex) {
      counted = Future.failedFuture(ex);
    }
    counted.onComplete(ar -> {
      if (ar.failed()) {
        metrics.countLost(proxy);
      } else if (Boolean.TRUE.equals(ar.result())) {
        long now = System.currentTimeMillis();
        bans.ban(new BanRecord(client, proxy, now + settings.duration().toMillis(), reason, "threshold", now,
            bans.node())).onFailure(err -> LOG.atWarn().addKeyValue("proxy", proxy)
            .log("could not store the ban of {}: {}", client, err.toString()));
      }
    });
  }
}
