package dev.harp.cluster;

import java.time.Instant;

/**
 * Epoch nanoseconds (µs resolution on Linux). GCRA state lives in the cluster and is read by whichever member owns a
 * key's partition, so it must be in a time every member shares: wall-clock time, kept in step by NTP. A skew of s
 * between members can shift decisions by s × rate requests when a partition changes owner.
 */
public final class WallClock {

  private WallClock() {
  }

  public static long nanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
