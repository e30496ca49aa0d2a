package dev.harp.resilience;

import dev.harp.spi.Exchange;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * One endpoint's circuit breaker on this node: vertx-circuit-breaker's state machine (failures within a rolling
 * window open it, the reset timeout half-opens it, one trial closes or re-opens it), with a volatile mirror of its
 * state so the request path reads one field instead of taking the breaker's lock.
 *
 * <p>The request path does not run requests through {@code execute()} (a promise, a context hop and a lock per
 * request); it reports outcomes: a failure is fed to the breaker as a failed operation, a success after failures
 * resets it, and in half-open the single trial request holds the operation the breaker let through.
 *
 * <p>A state another node decided (see {@link SharedBreakers}) replaces the breaker with a fresh one already in that
 * state: the library cannot be told to close an open breaker, and the old instance's pending timers and handlers
 * must not act any more (handlers ignore every instance but the current one).
 */
final class EndpointBreaker {

  /** Told about every state change the local breaker made by itself (not about states applied from elsewhere). */
  @FunctionalInterface
  interface Transitions {
    void changed(EndpointBreaker breaker, CircuitBreakerState state);
  }

  private static final RuntimeException REPORTED_FAILURE = new RuntimeException("upstream attempt failed", null,
      false, false) { };

  private final Vertx vertx;
  private final String name;
  private final CircuitBreakerOptions options;
  private final Transitions transitions;
  private volatile CircuitBreaker breaker;
  private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
  private volatile long openedAtMillis;
  /** A failure was reported since the last success: the next success resets the count. */
  private volatile boolean failuresPending;
  /** The exchange holding the half-open trial, if one does. */
  private volatile Exchange trialOwner;
  private volatile Promise<Void> trial;

  EndpointBreaker(Vertx vertx, String name, BreakerSettings settings, long trialTimeoutMs, Transitions transitions) {
    this.vertx = vertx;
    this.name = name;
    this.transitions = transitions;
    this.options = new CircuitBreakerOptions()
        .setMaxFailures(settings.failures())
        .setFailuresRollingWindow(settings.window().toMillis())
        .setResetTimeout(settings.resetTimeout().toMillis())
        // Bounds a trial whose exchange never reports back (client gone): the breaker then re-opens.
        .setTimeout(trialTimeoutMs)
        .setNotificationAddress(null)
        .setFallbackOnFailure(false);
    this.breaker = create();
  }

  private CircuitBreaker create() {
    CircuitBreaker b = CircuitBreaker.create(name, vertx, options);
    b.openHandler(v -> changed(b, CircuitBreakerState.OPEN));
    b.halfOpenHandler(v -> changed(b, CircuitBreakerState.HALF_OPEN));
    b.closeHandler(v -> changed(b, CircuitBreakerState.CLOSED));
    return b;
  }

  /** Runs inside the library's lock, on whichever thread made the change. */
  private void changed(CircuitBreaker source, CircuitBreakerState next) {
    if (source != breaker) {
      return;
    }
    settle(next, System.currentTimeMillis());
    transitions.changed(this, next);
  }

  private void settle(CircuitBreakerState next, long atMillis) {
    if (next == CircuitBreakerState.OPEN) {
      openedAtMillis = atMillis;
    }
    if (next != CircuitBreakerState.HALF_OPEN) {
      trialOwner = null;
      trial = null;
    }
    failuresPending = false;
    state = next;
  }

  CircuitBreakerState state() {
    return state;
  }

  /** Hot path: closed, or half-open with its trial still free. */
  boolean admits() {
    CircuitBreakerState s = state;
    return s == CircuitBreakerState.CLOSED || (s == CircuitBreakerState.HALF_OPEN && trialOwner == null);
  }

  boolean needsTrial() {
    return state == CircuitBreakerState.HALF_OPEN;
  }

  /** Claims the half-open trial for {@code exchange}; false when another request holds it. */
  boolean claimTrial(Exchange exchange) {
    Promise<Void> promise = Promise.promise();
    boolean[] chosen = {false};
    breaker.<Void>execute(() -> {
      chosen[0] = true;
      return promise.future();
    });
    if (chosen[0]) {
      trial = promise;
      trialOwner = exchange;
    }
    return chosen[0];
  }

  void success(Exchange exchange) {
    if (trialOwner == exchange && exchange != null) {
      finishTrial(true);
    } else if (failuresPending && state == CircuitBreakerState.CLOSED) {
      failuresPending = false;
      breaker.reset();
    }
  }

  void failure(Exchange exchange) {
    if (trialOwner == exchange && exchange != null) {
      finishTrial(false);
    } else if (state == CircuitBreakerState.CLOSED) {
      failuresPending = true;
      breaker.execute(() -> Future.failedFuture(REPORTED_FAILURE));
    }
  }

  private void finishTrial(boolean ok) {
    Promise<Void> p = trial;
    trial = null;
    trialOwner = null;
    if (p != null) {
      if (ok) {
        p.tryComplete();
      } else {
        p.tryFail(REPORTED_FAILURE);
      }
    }
  }

  /** Another node opened this endpoint's circuit: open here too, for a full reset timeout from now. */
  void openFromPeer() {
    if (state == CircuitBreakerState.OPEN) {
      return;
    }
    CircuitBreaker fresh = create();
    fresh.open(); // its handler ignores it: not current yet
    breaker = fresh;
    settle(CircuitBreakerState.OPEN, System.currentTimeMillis());
  }

  /** Another node's trial succeeded: close here too. */
  void closeFromPeer() {
    if (state == CircuitBreakerState.CLOSED) {
      return;
    }
    breaker = create();
    settle(CircuitBreakerState.CLOSED, System.currentTimeMillis());
  }

  /** Milliseconds until this open circuit lets a trial through; 0 when it is not open. */
  long millisUntilTrial() {
    if (state != CircuitBreakerState.OPEN) {
      return 0;
    }
    return Math.max(0, openedAtMillis + options.getResetTimeout() - System.currentTimeMillis());
  }

  long openedAtMillis() {
    return openedAtMillis;
  }

  long resetTimeoutMillis() {
    return options.getResetTimeout();
  }
}
