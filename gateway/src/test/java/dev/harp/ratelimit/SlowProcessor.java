package dev.harp.ratelimit;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a key's partition thread until released: a real slow cluster, as a GC pause or an overloaded member makes
 * it. Every rate-limit call for a key on that partition queues behind it. Runs on a member in this JVM (a standalone
 * node owns every partition, so the call is local and this object itself runs there).
 */
final class SlowProcessor implements EntryProcessor<String, KeyBucket, Object> {

  final CountDownLatch holding = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);

  @Override
  public Object process(Map.Entry<String, KeyBucket> entry) {
    holding.countDown();
    try {
      // Bounded, so a failing test can never leave a partition thread stuck for good.
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  @Override
  public EntryProcessor<String, KeyBucket, Object> getBackupProcessor() {
    return null;
  }
}
