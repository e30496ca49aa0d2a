package dev.harp.admin.auth;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies passwords against bcrypt hashes off the event loop, on a small executor of its own: bcrypt is slow on
 * purpose (≈0.2–0.6 s at the usual costs), and a burst of logins must neither block an event loop nor starve the
 * worker pool Hazelcast continuations and other features share. Concurrent checks of the same login share one
 * computation; successes are cached ({@link LoginCache}); at most {@link #MAX_IN_FLIGHT} different checks run or wait
 * at once, beyond that a check fails with {@link Busy} (answered 503) rather than queueing without bound.
 */
final class PasswordChecks {

  static final int MAX_IN_FLIGHT = 16;

  /**
   * Checked for unknown users so their answer takes as long as a wrong password: the hash of a random UUID that was
   * thrown away, so no password is known to match it (and a match would still be refused).
   */
  static final String DUMMY_HASH = "$2a$10$Pt2TBF8bq0Tb3JS/4SFCnOSlTTt1vkq/Um.dlSVU.HO42AU6DYktm";

  private final WorkerExecutor workers;
  private final LoginCache cache;
  private final Map<String, Future<Boolean>> inFlight = new ConcurrentHashMap<>();
  private final Counter computed;

  PasswordChecks(WorkerExecutor workers, Duration cacheTtl, Counter computed) {
    this.workers = workers;
    this.cache = new LoginCache(cacheTtl);
    this.computed = computed;
  }

  /** Completes with whether {@code password} matches {@code storedHash}; call on the caller's Vert.x context. */
  Future<Boolean> verify(String user, String storedHash, String password) {
    String key = cache.keyOf(user, storedHash, password);
    if (cache.contains(key)) {
      return Future.succeededFuture(true);
    }
    Future<Boolean> running = inFlight.get(key);
    if (running != null) {
      return running;
    }
    if (inFlight.size() >= MAX_IN_FLIGHT) {
      return Future.failedFuture(new Busy());
    }
    computed.increment();
    Future<Boolean> check = workers.<Boolean>executeBlocking(() -> PasswordHashing.matches(password, storedHash), false)
        .onComplete(ar -> {
          inFlight.remove(key);
          if (ar.succeeded() && ar.result()) {
            cache.remember(key);
          }
        });
    inFlight.put(key, check);
    return check;
  }

  /** Spends a bcrypt check on nothing, so an unknown user name is not told apart by timing. */
  Future<Boolean> rejectSlowly(String password) {
    if (inFlight.size() >= MAX_IN_FLIGHT) {
      return Future.failedFuture(new Busy());
    }
    computed.increment();
    return workers.executeBlocking(() -> PasswordHashing.matches(password, DUMMY_HASH) && false, false);
  }

  /** Too many different password checks are running: the caller answers 503 with Retry-After. */
  static final class Busy extends RuntimeException {
    Busy() {
      super("too many password checks in flight", null, false, false);
    }
  }
}
