package dev.harp.cache;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * One proxy's entries in a Hazelcast IMap, reached only through async calls that continue on the caller's Vert.x
 * context. A near-cache hit completes at once and continues inline, so a hot hit costs no thread hop.
 */
final class CacheStore {

  private static final Logger LOG = LoggerFactory.getLogger(CacheStore.class);

  private final IMap<String, StoredResource> map;
  private final CacheSettings settings;
  private final CacheMetrics metrics;

  CacheStore(IMap<String, StoredResource> map, CacheSettings settings, CacheMetrics metrics) {
    this.map = map;
    this.settings = settings;
    this.metrics = metrics;
  }

  IMap<String, StoredResource> map() {
    return map;
  }

  /** Looks a key up; {@code then} runs on {@code ctx} (inline when the near cache answered). */
  void get(String key, Context ctx, BiConsumer<StoredResource, Throwable> then) {
    CompletableFuture<StoredResource> f;
    try {
      f = map.getAsync(key).toCompletableFuture();
    } catch (RuntimeException e) {
      then.accept(null, e);
      return;
    }
    if (f.isDone()) {
      StoredResource value;
      try {
        value = f.getNow(null);
      } catch (RuntimeException e) {
        then.accept(null, e);
        return;
      }
      then.accept(value, null);
      return;
    }
    f.whenComplete((v, t) -> ctx.runOnContext(x -> then.accept(v, t)));
  }

  /** Stores one variant; the returned future completes on {@code ctx}. Failures are counted and logged, not thrown. */
  Future<Void> store(String key, StoredResponse r, long now, Context ctx) {
    long ttl = Storing.retention(r, now, settings);
    return track(map.submitToKey(key, new StoreVariant(r, ttl, settings.maxVariants())), ctx, "store")
        .onSuccess(bytes -> {
          metrics.stores.increment();
          metrics.storedBytes.increment(r.body().length);
        })
        .mapEmpty();
  }

  /** Removes a resource (all variants); completes with whether there was one. */
  Future<Boolean> remove(String key, Context ctx) {
    return track(map.submitToKey(key, new RemoveResource()), ctx, "remove");
  }

  private <T> Future<T> track(CompletionStage<T> stage, Context ctx, String operation) {
    metrics.writesPending.incrementAndGet();
    Promise<T> promise = Promise.promise();
    stage.whenComplete((v, t) -> ctx.runOnContext(x -> {
      metrics.writesPending.decrementAndGet();
      if (t != null) {
        metrics.error(operation);
        LOG.warn("cache {} failed: {}", operation, t.toString());
        promise.fail(t);
      } else {
        promise.complete(v);
      }
    }));
    return promise.future();
  }
}
