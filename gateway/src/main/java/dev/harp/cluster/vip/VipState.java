package dev.harp.cluster.vip;

import java.util.Locale;
import java.util.Optional;

/**
 * This node's role for the virtual IP as keepalived reports it through its notify script. {@code UNKNOWN} until the
 * first report (a node started without keepalived stays there).
 */
public enum VipState {
  MASTER, BACKUP, FAULT, STOP, UNKNOWN;

  /** Parses what keepalived passes to a notify script ({@code MASTER}, {@code BACKUP}, {@code FAULT}, {@code STOP}). */
  public static Optional<VipState> reported(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      VipState state = valueOf(value.trim().toUpperCase(Locale.ROOT));
      return state == UNKNOWN ? Optional.empty() : Optional.of(state);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
