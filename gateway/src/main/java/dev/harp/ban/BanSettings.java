package dev.harp.ban;

import dev.harp.net.AddressSet;

import java.time.Duration;
import java.util.Set;

/**
 * A proxy's {@code ban:} block: a client that gets {@code threshold} answers with one of {@code statuses} within
 * {@code window} is banned from this proxy, on every node, for {@code duration}.
 *
 * @param status what a banned client is answered (403 unless configured; any 4xx)
 * @param allow  clients that are never banned (and cannot be banned by hand)
 */
public record BanSettings(Set<Integer> statuses, int threshold, Duration window, Duration duration, int status,
                          AddressSet allow) {

  /**
   * A proxy without a {@code ban:} block: bans made by hand still hold there (answered 403), nothing is counted.
   * Compared by identity: the node hands each filter the very config its factory returned.
   */
  public static final BanSettings CHECK_ONLY = new BanSettings(Set.of(), 1, Duration.ofMinutes(1),
      Duration.ofMinutes(15), 403, AddressSet.NONE);

  public BanSettings {
    statuses = Set.copyOf(statuses);
  }
}
