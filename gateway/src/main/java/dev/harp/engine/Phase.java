package dev.harp.engine;

/**
 * Where an exchange is on its way through the engine. It only moves forward: {@code REQUEST → ATTEMPT → RELAY →
 * DONE} for a forwarded exchange (its retries all happen in {@code ATTEMPT}), {@code REQUEST → UPGRADE → DONE} for a tunnel,
 * and any phase straight to {@code DONE} (answered locally, refused, failed, or the client left). What a failure may
 * still do depends on it: before {@code RELAY} it becomes a problem answer or a retry; from {@code RELAY} on a byte
 * may have reached the client, and only cutting the connection is honest.
 */
public enum Phase {
  /** The request head arrived; the filters' request phases run. */
  REQUEST,
  /** Attempts to upstream endpoints: endpoint choice, the request sent, the outcome judged (and maybe retried). */
  ATTEMPT,
  /** One attempt's response is relayed to the client (or taken over by a filter's response-head phase, e.g. the cache's). */
  RELAY,
  /** The connection became a tunnel (WebSocket or another HTTP/1.1 upgrade). */
  UPGRADE,
  /** Completed: reported to listeners once. */
  DONE;

  /** Whether an exchange in this phase may move to {@code next}. */
  boolean mayEnter(Phase next) {
    return switch (this) {
      case REQUEST -> next == ATTEMPT || next == UPGRADE || next == DONE;
      case ATTEMPT -> next == RELAY || next == DONE;
      case RELAY, UPGRADE -> next == DONE;
      case DONE -> false;
    };
  }
}
