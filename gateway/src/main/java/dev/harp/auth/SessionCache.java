package dev.harp.auth;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Forward-auth decisions, cached cluster-wide in a Hazelcast map keyed by the credentials' hash: a session checked on
 * one node is not checked again on another until its TTL (positive or negative) runs out. On one node, concurrent
 * checks of the same credentials share one lookup and at most one auth-endpoint call. A logout removes the entry
 * (every node reads the same map, so it is gone everywhere at once) and tells every node, so a check that was already
 * running when the logout came does not put the session back.
 */
final class SessionCache {

  static final String MAP = "harp.auth.sessions";
  /** Internal: every node hears which keys and users were logged out, to drop racing writes. */
  static final String INVALIDATED_ADDRESS = "harp.auth.sessions.invalidated";

  private static final Logger LOG = LoggerFactory.getLogger(SessionCache.class);

  /** Where a decision came from, for metrics. */
  enum Source { CACHE, ENDPOINT, SHARED }

  record Lookup(Decision decision, Source source) {
  }

  private final Vertx vertx;
  private final IMap<String, Decision.Cached> map;
  private final Map<String, Future<Decision>> inFlight = new ConcurrentHashMap<>();
  /** Logged-out keys ({@code k:}) and users ({@code u:}) by epoch ms, kept a minute: racing checks must not re-add. */
  private final Map<String, Long> invalidated = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> invalidations;

  /** @param map from {@code hazelcast.getMap(MAP)}, obtained off the event loop */
  SessionCache(Vertx vertx, IMap<String, Decision.Cached> map) {
    this.vertx = vertx;
    this.map = map;
  }

  void start() {
    invalidations = vertx.eventBus().consumer(INVALIDATED_ADDRESS, m -> noteInvalidated(m.body()));
  }

  Future<Void> stop() {
    return invalidations == null ? Future.succeededFuture() : invalidations.unregister();
  }

  /**
   * The decision for {@code key}: from the cluster cache, from a check already running on this node, or from
   * {@code call} (then stored with the forward config's TTLs). Completes on {@code context}.
   */
  Future<Lookup> decide(String key, AuthConfig.Forward forward, Context context, Supplier<Future<Decision>> call) {
    Promise<Lookup> leader = Promise.promise();
    Future<Decision> shared = leader.future().map(Lookup::decision);
    Future<Decision> running = inFlight.putIfAbsent(key, shared);
    if (running != null) {
      return on(context, running).map(d -> new Lookup(d, Source.SHARED));
    }
    long started = System.currentTimeMillis();
    Future.fromCompletionStage(map.getAsync(key), context)
        .transform(ar -> {
          Decision.Cached cached = ar.succeeded() ? ar.result() : null;
          if (ar.failed()) {
            LOG.warn("session cache lookup failed, asking the auth endpoint: {}", ar.cause().toString());
          }
          if (cached != null && cached.expiresAt() > System.currentTimeMillis()) {
            return Future.succeededFuture(new Lookup(cached.decision(), Source.CACHE));
          }
          return call.get().map(d -> {
            store(key, d, forward, started);
            return new Lookup(d, Source.ENDPOINT);
          });
        })
        .onComplete(ar -> {
          inFlight.remove(key, shared);
          leader.handle(ar);
        });
    return leader.future();
  }

  private void store(String key, Decision d, AuthConfig.Forward forward, long started) {
    long ttl = d instanceof Decision.Allowed ? forward.cacheTtl().toMillis()
        : d instanceof Decision.Denied ? forward.negativeTtl().toMillis() : 0;
    if (ttl <= 0 || loggedOutSince(key, d, started)) {
      return;
    }
    map.setAsync(key, Decision.Cached.of(d, System.currentTimeMillis() + ttl), ttl, TimeUnit.MILLISECONDS)
        .whenComplete((v, t) -> {
          if (t != null) {
            LOG.warn("session cache write failed (the next request asks the auth endpoint again): {}", t.toString());
          }
        });
  }

  private boolean loggedOutSince(String key, Decision d, long started) {
    Long k = invalidated.get("k:" + key);
    if (k != null && k >= started) {
      return true;
    }
    if (d instanceof Decision.Allowed a && a.user() != null) {
      Long u = invalidated.get("u:" + a.user());
      return u != null && u >= started;
    }
    return false;
  }

  /** Removes one session's decision everywhere; completes with how many were removed (0 or 1). */
  Future<Integer> logout(String key, Context context) {
    announce(new JsonObject().put("key", key));
    return Future.fromCompletionStage(map.removeAsync(key), context).map(previous -> previous == null ? 0 : 1);
  }

  /** Removes every cached decision naming {@code user}; runs the cluster-wide scan on a worker. */
  Future<Integer> logoutUser(String user) {
    announce(new JsonObject().put("user", user));
    return vertx.executeBlocking(() -> {
      UserIs predicate = new UserIs(user);
      int n = map.keySet(predicate).size();
      map.removeAll(predicate);
      return n;
    }, false);
  }

  private void announce(JsonObject what) {
    noteInvalidated(what.copy().put("at", System.currentTimeMillis()));
    vertx.eventBus().publish(INVALIDATED_ADDRESS, what.put("at", System.currentTimeMillis()));
  }

  private void noteInvalidated(JsonObject body) {
    long at = body.getLong("at", System.currentTimeMillis());
    if (body.getString("key") != null) {
      invalidated.put("k:" + body.getString("key"), at);
    }
    if (body.getString("user") != null) {
      invalidated.put("u:" + body.getString("user"), at);
    }
    long horizon = System.currentTimeMillis() - 60_000;
    invalidated.values().removeIf(t -> t < horizon);
  }

  private static Future<Decision> on(Context context, Future<Decision> running) {
    Promise<Decision> p = Promise.promise();
    running.onComplete(ar -> context.runOnContext(v -> p.handle(ar)));
    return p.future();
  }

  /** Runs on the members holding the entries; Java-serialised, like the values. */
  record UserIs(String user) implements Predicate<String, Decision.Cached> {
    @Override
    public boolean apply(Map.Entry<String, Decision.Cached> entry) {
      return user.equals(entry.getValue().user());
    }
  }
}
