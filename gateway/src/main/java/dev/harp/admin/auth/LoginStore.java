package dev.harp.admin.auth;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * Where the members share the generated admin login's hash (never the password). Behind an interface so the guard
 * does not know the cluster technology; the only implementation is Hazelcast's.
 */
interface LoginStore {

  /** Stores {@code hash} for {@code user} unless one is there; completes with the earlier hash, or null if ours won. */
  Future<String> putIfAbsent(String user, String hash);

  /** The hash in force for {@code user}, or null. */
  Future<String> get(String user);

  /**
   * An IMap of the cluster: the entry is backed up, so it outlives any single member, and every member (including one
   * that joins later) reads the same value. Continuations run on {@code context}, never on a Hazelcast thread.
   */
  static LoginStore hazelcast(HazelcastInstance hazelcast, Context context) {
    IMap<String, String> map = hazelcast.getMap("harp.admin.generated-login");
    return new LoginStore() {
      @Override
      public Future<String> putIfAbsent(String user, String hash) {
        return Future.fromCompletionStage(map.submitToKey(user, new PutIfAbsent(hash)), context);
      }

      @Override
      public Future<String> get(String user) {
        return Future.fromCompletionStage(map.getAsync(user), context);
      }
    };
  }

  /** IMap has no async putIfAbsent: this runs it on the partition owner, atomically; returns the earlier value. */
  record PutIfAbsent(String value) implements EntryProcessor<String, String, String> {
    @Override
    public String process(java.util.Map.Entry<String, String> entry) {
      String earlier = entry.getValue();
      if (earlier == null) {
        entry.setValue(value);
      }
      return earlier;
    }
  }
}
