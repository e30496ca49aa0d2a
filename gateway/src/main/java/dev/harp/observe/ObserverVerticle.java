package dev.harp.observe;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The observers' clock: flushes traffic-event batches every {@code flushMs} and closes the stats window every second,
 * both on this verticle's one event loop so the proxies' loops never encode or publish. On stop it flushes what is
 * left, so a draining node's last requests are still seen.
 */
final class ObserverVerticle extends VerticleBase {

  static final long FLUSH_MS = 100;
  static final long STATS_MS = 1_000;

  private final TrafficPublisher traffic;
  private final StatsPublisher stats;
  private long flushTimer;
  private long statsTimer;

  ObserverVerticle(TrafficPublisher traffic, StatsPublisher stats) {
    this.traffic = traffic;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    flushTimer = vertx.setPeriodic(FLUSH_MS, id -> traffic.flush(vertx.eventBus()));
    statsTimer = vertx.setPeriodic(STATS_MS, id -> stats.tick(vertx.eventBus(), System.currentTimeMillis()));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(statsTimer);
    traffic.flush(vertx.eventBus());
    return Future.succeededFuture();
  }
}
