package dev.harp.observe;

import io.vertx.core.eventbus.EventBus;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Once a second closes every proxy's window, keeps the result as the latest local figures (for the dashboard) and
 * publishes it on {@link EventAddresses#STATS}, one message per proxy, even when idle: a silent node then looks
 * different from an idle one.
 */
final class StatsPublisher {

  private final List<StatsRecorder> recorders = new CopyOnWriteArrayList<>();
  private final Map<String, ProxyStats> latest = new ConcurrentHashMap<>();

  void add(StatsRecorder recorder) {
    recorders.add(recorder);
  }

  void tick(EventBus bus, long nowEpochMillis) {
    for (StatsRecorder recorder : recorders) {
      ProxyStats stats = recorder.tick(nowEpochMillis);
      latest.put(stats.proxy(), stats);
      bus.publish(EventAddresses.STATS, stats.toJson());
    }
  }

  /** The last closed window of each proxy on this node, by proxy name. */
  Map<String, ProxyStats> latest() {
    return Collections.unmodifiableMap(latest);
  }
}
