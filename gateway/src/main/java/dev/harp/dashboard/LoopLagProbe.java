package dev.harp.dashboard;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Event-loop lag: how long a task waits in each loop's queue before it runs. Every probe posts one tiny task to every
 * event loop of the node and keeps the worst wait since the last read. A loop that a handler blocks shows up here
 * first, long before the blocked-thread checker's 2 s warning.
 */
final class LoopLagProbe {

  private final EventLoopGroup loops;
  private final AtomicLong worstNanos = new AtomicLong();

  LoopLagProbe(Vertx vertx) {
    this.loops = ((VertxInternal) vertx).nettyEventLoopGroup();
  }

  void probe() {
    for (EventExecutor loop : loops) {
      long posted = System.nanoTime();
      try {
        loop.execute(() -> worstNanos.accumulateAndGet(System.nanoTime() - posted, Math::max));
      } catch (RuntimeException shuttingDown) {
        return; // the node is closing: nothing to measure
      }
    }
  }

  /** The worst wait since the previous call, in milliseconds; resets it. */
  double takeWorstMs() {
    return Math.round(worstNanos.getAndSet(0) / 10_000.0) / 100.0;
  }
}
