package dev.harp.cache;

import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Request coalescing on one node: while one request fetches a key from the upstream (the leader), others for the
 * same key wait for its result instead of fetching too. Shared by every event loop of the node, hence concurrent;
 * each waiter resumes on its own context. Per node on purpose: a cluster-wide lock would put a Hazelcast round trip
 * in front of every miss, while N nodes cost at most N upstream fetches per key.
 */
final class Flights {

  private final ConcurrentHashMap<String, Flight> inFlight = new ConcurrentHashMap<>();

  /** Registers the caller as the leader for {@code key} (returns its new flight), or null if one is in flight. */
  Flight lead(String key) {
    Flight mine = new Flight(key);
    return inFlight.putIfAbsent(key, mine) == null ? mine : null;
  }

  /** The flight in progress for {@code key}, or null. */
  Flight current(String key) {
    return inFlight.get(key);
  }

  int size() {
    return inFlight.size();
  }

  /** One upstream fetch that others may wait for. */
  final class Flight {

    private final String key;
    private List<Runnable> waiters = new ArrayList<>(2);
    private StoredResponse result;
    private boolean landed;

    private Flight(String key) {
      this.key = key;
    }

    /**
     * Waits for the leader's result, at most {@code timeoutMs}; {@code then} gets it on {@code ctx}, or null when
     * nothing usable was stored or the wait timed out. Returns false when the flight already landed.
     */
    boolean await(Context ctx, long timeoutMs, Consumer<StoredResponse> then) {
      AtomicBoolean fired = new AtomicBoolean();
      long timer = ctx.owner().setTimer(timeoutMs, id -> {
        if (fired.compareAndSet(false, true)) {
          then.accept(null);
        }
      });
      synchronized (this) {
        if (landed) {
          ctx.owner().cancelTimer(timer);
          return false;
        }
        waiters.add(() -> ctx.runOnContext(v -> {
          if (fired.compareAndSet(false, true)) {
            ctx.owner().cancelTimer(timer);
            then.accept(result);
          }
        }));
      }
      return true;
    }

    /** Ends the flight (once): {@code stored} is what the leader stored, or null. Every waiter is released. */
    void land(StoredResponse stored) {
      List<Runnable> toWake;
      synchronized (this) {
        if (landed) {
          return;
        }
        landed = true;
        result = stored;
        toWake = waiters;
        waiters = List.of();
      }
      inFlight.remove(key, this);
      toWake.forEach(Runnable::run);
    }
  }
}
