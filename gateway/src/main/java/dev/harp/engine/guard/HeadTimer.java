package dev.harp.engine.guard;

import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Cuts off clients that dribble a request head (slowloris), timed from the first byte of the head, so a kept-alive
 * connection may idle between requests as long as the idle timeout allows.
 *
 * <p>One periodic sweep per event loop instead of a timer per request: a decoder only records the sweep's tick
 * count when a head starts (a field write), and the sweep walks the connections of its loop. A head is refused no
 * earlier than the timeout and at most two sweep periods later. Everything here runs on that one event loop.
 */
final class HeadTimer {

  private static final long MIN_PERIOD_MS = 10;
  private static final long MAX_PERIOD_MS = 1_000;

  private final Vertx vertx;
  private final Duration timeout;
  private final long timeoutTicks;
  private final long periodicId;
  private final Set<StrictRequestDecoder> watched = Collections.newSetFromMap(new IdentityHashMap<>());
  private long tick;

  /** Must be created on the event loop whose connections it watches (a verticle's start). */
  HeadTimer(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
    long period = Math.max(MIN_PERIOD_MS, Math.min(MAX_PERIOD_MS, timeout.toMillis() / 10));
    // A head that starts just after a tick is recorded with that tick: one extra tick keeps the cut-off from
    // coming early.
    this.timeoutTicks = (timeout.toMillis() + period - 1) / period + 1;
    this.periodicId = vertx.setPeriodic(period, id -> sweep());
  }

  long tick() {
    return tick;
  }

  void watch(StrictRequestDecoder decoder) {
    watched.add(decoder);
  }

  void unwatch(StrictRequestDecoder decoder) {
    watched.remove(decoder);
  }

  private void sweep() {
    tick++;
    List<StrictRequestDecoder> late = null;
    for (StrictRequestDecoder d : watched) {
      if (d.phase() != StrictRequestDecoder.Phase.IN_HEAD) {
        continue;
      }
      if (!d.reading()) {
        d.headStartTick = tick; // HARP is not reading: the clock restarts when it reads again
      } else if (tick - d.headStartTick >= timeoutTicks) {
        if (late == null) {
          late = new ArrayList<>();
        }
        late.add(d);
      }
    }
    if (late != null) {
      // Answering may close a connection and unwatch its decoder: not while iterating.
      for (StrictRequestDecoder d : late) {
        d.headTimedOut("request head not complete within " + timeout.toMillis() + " ms");
      }
    }
  }

  void close() {
    vertx.cancelTimer(periodicId);
  }
}
