package dev.harp.cache;

import dev.harp.net.IpLiterals;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MultiExecutionCallback;
import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cluster-wide purge: the {@code PURGE} method on a proxy (from {@code purgeAllow} networks only) and the admin API
 * {@code POST /api/cache/{proxy}/purge} with {@code {"url": ...}}, {@code {"prefix": ...}} or {@code {"all": true}}.
 * Both broadcast a {@link PurgeTask} to every member and answer once all did.
 */
final class Purges {

  private static final Logger LOG = LoggerFactory.getLogger(Purges.class);

  private final IExecutorService executor;
  private final Map<String, ProxyCache> caches = new ConcurrentHashMap<>();

  Purges(IExecutorService executor) {
    this.executor = executor;
  }

  void register(ProxyCache cache) {
    caches.put(cache.proxy, cache);
  }

  static String mapName(String proxy) {
    return "harp-cache." + proxy;
  }

  /**
   * Purges one key or every key under a target prefix on every member; the count completes on {@code ctx}. A prefix
   * purge has two phases: every member removes and counts what it owns, then every member sweeps (see PurgeTask).
   */
  Future<Integer> purge(ProxyCache cache, String key, String prefix, Context ctx) {
    Promise<Integer> promise = Promise.promise();
    cache.metrics.writesPending.incrementAndGet();
    onAllMembers(new PurgeTask(mapName(cache.proxy), key, prefix), (removed, failure) -> {
      if (failure != null || key != null) {
        finish(cache, ctx, promise, removed, failure);
        return;
      }
      onAllMembers(new PurgeTask(mapName(cache.proxy), null, prefix, true),
          (ignored, sweepFailure) -> finish(cache, ctx, promise, removed, sweepFailure));
    });
    return promise.future();
  }

  private void onAllMembers(PurgeTask task, java.util.function.BiConsumer<Integer, Throwable> done) {
    executor.submitToAllMembers(task, new MultiExecutionCallback() {
      @Override
      public void onResponse(Member member, Object value) {
      }

      @Override
      public void onComplete(Map<Member, Object> values) {
        int removed = 0;
        Throwable failure = null;
        for (Object v : values.values()) {
          if (v instanceof Integer n) {
            removed += n;
          } else if (v instanceof Throwable t) {
            failure = t;
          }
        }
        done.accept(removed, failure);
      }
    });
  }

  private static void finish(ProxyCache cache, Context ctx, Promise<Integer> promise, int total, Throwable failed) {
    ctx.runOnContext(x -> {
      cache.metrics.writesPending.decrementAndGet();
      cache.metrics.purged.increment(total);
      if (failed != null) {
        cache.metrics.error("purge");
        promise.fail(failed);
      } else {
        promise.complete(total);
      }
    });
  }

  /** PURGE on the proxy port: the request target (and Host, if the proxy preserves it) names the entry. */
  void purgeMethod(ProxyCache cache, Exchange ex) {
    if (!allowed(cache, ex)) {
      ex.fail(Failure.of(CacheFailures.PURGE_FORBIDDEN, "PURGE is allowed only from " + cache.settings.purgeAllow()),
          null);
      return;
    }
    String key = cache.keyOf(ex);
    purge(cache, key, null, Vertx.currentContext()).onComplete(ar -> {
      if (ar.failed()) {
        ex.fail(Failure.of(CacheFailures.INTERNAL_ERROR, "purge failed: " + ar.cause().getMessage()), ar.cause());
        return;
      }
      JsonObject body = new JsonObject().put("purged", ar.result()).put("key", key);
      ex.respond(200, MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
          .add("Cache-Control", "no-store"), body.toBuffer());
    });
  }

  /** The direct peer's address decides; forwarding headers are client-controlled and never trusted here. */
  private static boolean allowed(ProxyCache cache, Exchange ex) {
    String peer = ex.peerAddress();
    return peer != null && cache.settings.purgeAllow().contains(IpLiterals.ofSocket(peer));
  }

  void mount(Router router) {
    router.post("/api/cache/:proxy/purge").handler(BodyHandler.create().setBodyLimit(64 * 1024))
        .handler(this::adminPurge);
  }

  private void adminPurge(RoutingContext rc) {
    String proxy = rc.pathParam("proxy");
    ProxyCache cache = caches.get(proxy);
    if (cache == null) {
      json(rc, 404, new JsonObject().put("error", "no proxy '" + proxy + "' with a cache on this node"));
      return;
    }
    JsonObject req;
    try {
      req = rc.body().asJsonObject();
    } catch (RuntimeException e) {
      req = null;
    }
    if (req == null) {
      json(rc, 400, new JsonObject().put("error", "body must be JSON: {\"url\": \"/path?q\"}, {\"prefix\": \"/path/\"}"
          + " or {\"all\": true}"));
      return;
    }
    String url = req.getString("url");
    String prefix = req.getString("prefix");
    boolean all = Boolean.TRUE.equals(req.getBoolean("all"));
    if ((url != null ? 1 : 0) + (prefix != null ? 1 : 0) + (all ? 1 : 0) != 1) {
      json(rc, 400, new JsonObject().put("error", "give exactly one of url, prefix, all"));
      return;
    }
    String host = req.getString("host");
    String key = url == null ? null : CacheKeys.primary(url, cache.preserveHost ? host : null);
    String targetPrefix = all ? "" : prefix == null ? null : CacheKeys.normaliseTarget(prefix);
    purge(cache, key, targetPrefix, Vertx.currentContext()).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("admin purge on {} failed", proxy, ar.cause());
        json(rc, 500, new JsonObject().put("error", String.valueOf(ar.cause().getMessage())));
        return;
      }
      JsonObject out = new JsonObject().put("proxy", proxy).put("purged", ar.result());
      if (key != null) {
        out.put("key", key);
      } else {
        out.put("prefix", targetPrefix);
      }
      json(rc, 200, out);
    });
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }
}
