package dev.harp.ban;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Bans live in the cluster map {@code harp.bans} (with a TTL: a ban expires by itself), and every node keeps a copy
 * fed by an entry listener, so the check on each request is a local lookup and a ban made on any node holds on every
 * node within milliseconds. Writes go to the map; the copy follows the map's events.
 */
final class BanStore {

  static final String MAP = "harp.bans";

  private final IMap<String, String> map;
  private final Map<String, BanRecord> copy = new ConcurrentHashMap<>();

  /** Runs on a worker: registering the listener and loading the current bans talk to the cluster. */
  BanStore(HazelcastInstance hazelcast) {
    this.map = hazelcast.getMap(MAP);
    map.addEntryListener(new Mirror(), true);
    // After the listener: a ban made meanwhile arrives twice (harmless), never not at all.
    for (Map.Entry<String, String> e : map.entrySet()) {
      copy.put(e.getKey(), parse(e.getValue()));
    }
  }

  private final class Mirror implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
      EntryRemovedListener<String, String>, EntryExpiredListener<String, String>,
      EntryEvictedListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> e) {
      copy.put(e.getKey(), parse(e.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> e) {
      copy.put(e.getKey(), parse(e.getValue()));
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> e) {
      copy.remove(e.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, String> e) {
      copy.remove(e.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> e) {
      copy.remove(e.getKey());
    }
  }

  private static BanRecord parse(String json) {
    return BanRecord.fromJson(new JsonObject(json));
  }

  /** The ban in force for this client on this proxy (its own or an all-proxies one), or null. Local, no I/O. */
  BanRecord find(String proxy, String client) {
    if (copy.isEmpty()) {
      return null;
    }
    long now = System.currentTimeMillis();
    BanRecord ban = copy.get(BanRecord.key(proxy, client));
    if (ban != null && ban.activeAt(now)) {
      return ban;
    }
    ban = copy.get(BanRecord.key(BanRecord.ALL_PROXIES, client));
    return ban != null && ban.activeAt(now) ? ban : null;
  }

  List<BanRecord> list() {
    long now = System.currentTimeMillis();
    return copy.values().stream().filter(b -> b.activeAt(now))
        .sorted(Comparator.comparing(BanRecord::client).thenComparing(BanRecord::proxy)).toList();
  }

  int size() {
    return copy.size();
  }

  Future<BanRecord> put(BanRecord ban, Context context) {
    long ttl = Math.max(1, ban.untilMillis() - System.currentTimeMillis());
    return Future.fromCompletionStage(map.setAsync(ban.key(), ban.toJson().encode(), ttl, TimeUnit.MILLISECONDS),
        context).map(ban);
  }

  /** Removes the ban; the answer is the ban that was lifted, or null if there was none. */
  Future<BanRecord> remove(String proxy, String client, Context context) {
    return Future.fromCompletionStage(map.removeAsync(BanRecord.key(proxy, client)), context)
        .map(old -> old == null ? null : parse(old));
  }
}
