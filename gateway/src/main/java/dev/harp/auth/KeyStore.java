package dev.harp.auth;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.harp.config.HarpConfig.ConsumerConfig;
import dev.harp.config.HarpConfig.ConsumerKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consumers' API keys: a Hazelcast map (SHA-256 of the key → {@link ApiKeyRecord}) shared by the cluster, and on each
 * node a full local view of it, so checking a key on the request path is one hash and one local lookup. The view
 * follows the map through an entry listener (changes arrive within milliseconds) and is re-read every
 * {@link #RESYNC_MS} in case an event was lost. Keys from the config are seeded with put-if-absent, so a key revoked
 * through the API stays revoked when a member restarts.
 */
final class KeyStore {

  static final String MAP = "harp.auth.keys";
  static final long RESYNC_MS = 5_000;

  private static final Logger LOG = LoggerFactory.getLogger(KeyStore.class);

  private final Vertx vertx;
  private final IMap<String, ApiKeyRecord> map;
  private final Map<String, ApiKeyRecord> local = new ConcurrentHashMap<>();
  private final Map<String, List<String>> configGroups = new ConcurrentHashMap<>();
  private UUID listener;
  private long resyncTimer = -1;

  /** @param map from {@code hazelcast.getMap(MAP)}, obtained off the event loop */
  KeyStore(Vertx vertx, IMap<String, ApiKeyRecord> map) {
    this.vertx = vertx;
    this.map = map;
  }

  /**
   * Listens, seeds the configured keys, loads the view, then re-reads it every {@link #RESYNC_MS}; blocks on
   * Hazelcast, so never on an event loop. The node serves only after this returned.
   */
  void start(List<ConsumerConfig> consumers) {
    long now = System.currentTimeMillis();
    for (ConsumerConfig c : consumers) {
      configGroups.put(c.name(), lower(c.groups()));
    }
    listener = map.addEntryListener(new Follower(), true);
    for (ConsumerConfig c : consumers) {
      for (ConsumerKey k : c.keys()) {
        map.executeOnKey(k.sha256(), new PutIfAbsent(
            new ApiKeyRecord(c.name(), k.id(), lower(c.groups()), false, "config", now)));
      }
    }
    resync();
    resyncTimer = vertx.setPeriodic(RESYNC_MS, RESYNC_MS, id -> vertx.executeBlocking(() -> {
      resync();
      return null;
    }, false).onFailure(t -> LOG.warn("API key view re-read failed (retried in {} ms): {}", RESYNC_MS,
        t.toString())));
  }

  Future<Void> stop() {
    if (resyncTimer != -1) {
      vertx.cancelTimer(resyncTimer);
    }
    UUID id = listener;
    return id == null ? Future.succeededFuture() : vertx.executeBlocking(() -> map.removeEntryListener(id), false)
        .otherwiseEmpty().mapEmpty();
  }

  /** The record for a presented key's SHA-256, or null; revoked records are returned (callers refuse them). */
  ApiKeyRecord find(String sha256) {
    return local.get(sha256);
  }

  List<ApiKeyRecord> list() {
    List<ApiKeyRecord> out = new ArrayList<>(local.values());
    out.sort(Comparator.comparing(ApiKeyRecord::consumer).thenComparing(ApiKeyRecord::id));
    return out;
  }

  /** Registers a key; {@link Conflict} if the consumer has an active key with this id, or the key is known. */
  Future<ApiKeyRecord> add(String consumer, String id, String sha256, Context context) {
    boolean idTaken = local.values().stream()
        .anyMatch(r -> r.consumer().equals(consumer) && r.id().equals(id) && !r.revoked());
    if (idTaken) {
      return Future.failedFuture(new Conflict("consumer '" + consumer + "' already has a key '" + id + "'"));
    }
    ApiKeyRecord record = new ApiKeyRecord(consumer, id, configGroups.getOrDefault(consumer, List.of()), false, "api",
        System.currentTimeMillis());
    return Future.fromCompletionStage(map.submitToKey(sha256, new PutIfAbsent(record)), context)
        .compose(earlier -> {
          if (earlier != null) {
            return Future.failedFuture(new Conflict("this key is already registered"));
          }
          merge(sha256, record);
          return Future.succeededFuture(record);
        });
  }

  /** Revokes the consumer's active keys with this id; completes with how many were revoked. */
  Future<Integer> revoke(String consumer, String id, Context context) {
    List<Future<Boolean>> revoking = new ArrayList<>();
    for (Map.Entry<String, ApiKeyRecord> e : local.entrySet()) {
      ApiKeyRecord r = e.getValue();
      if (r.consumer().equals(consumer) && r.id().equals(id) && !r.revoked()) {
        merge(e.getKey(), r.asRevoked()); // this node refuses it at once; the others when the event arrives
        revoking.add(Future.fromCompletionStage(map.submitToKey(e.getKey(), new Revoke()), context));
      }
    }
    return Future.all(revoking).map(all -> revoking.size());
  }

  private void resync() {
    for (Map.Entry<String, ApiKeyRecord> e : map.entrySet()) {
      merge(e.getKey(), e.getValue());
    }
  }

  /** Revoked wins, so an old copy (a late event, a re-read) never brings a key back. */
  private void merge(String sha256, ApiKeyRecord incoming) {
    if (incoming != null) {
      local.merge(sha256, incoming, (have, in) -> have.revoked() ? have : in);
    }
  }

  private static List<String> lower(List<String> groups) {
    return groups.stream().map(g -> g.toLowerCase(Locale.ROOT)).toList();
  }

  /** Map events arrive on Hazelcast threads; the view is a concurrent map, so no hop to a Vert.x context is needed. */
  private final class Follower implements EntryAddedListener<String, ApiKeyRecord>,
      EntryUpdatedListener<String, ApiKeyRecord> {

    @Override
    public void entryAdded(EntryEvent<String, ApiKeyRecord> event) {
      merge(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, ApiKeyRecord> event) {
      merge(event.getKey(), event.getValue());
    }
  }

  /** Atomic on the key's owner; returns the earlier record (null if ours was stored). */
  record PutIfAbsent(ApiKeyRecord record) implements EntryProcessor<String, ApiKeyRecord, ApiKeyRecord> {
    @Override
    public ApiKeyRecord process(Map.Entry<String, ApiKeyRecord> entry) {
      ApiKeyRecord earlier = entry.getValue();
      if (earlier == null) {
        entry.setValue(record);
      }
      return earlier;
    }
  }

  record Revoke() implements EntryProcessor<String, ApiKeyRecord, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, ApiKeyRecord> entry) {
      ApiKeyRecord r = entry.getValue();
      if (r == null || r.revoked()) {
        return false;
      }
      entry.setValue(r.asRevoked());
      return true;
    }
  }

  /** The request conflicts with a key that exists: answered 409. */
  static final class Conflict extends RuntimeException {
    Conflict(String message) {
      super(message, null, false, false);
    }
  }
}
