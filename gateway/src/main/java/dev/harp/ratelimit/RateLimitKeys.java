package dev.harp.ratelimit;

import dev.harp.spi.Attachments;
import dev.harp.spi.Exchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Builds a request's key for a policy: the policy id, then each {@code by:} part, separated by a control character
 * no header or path can carry. Long keys (a long header value, a long path) are hashed, so a client cannot make the
 * cluster store kilobytes per key.
 */
final class RateLimitKeys {

  static final int MAX_KEY_LENGTH = 200;
  private static final char SEPARATOR = '\u001f';

  private RateLimitKeys() {
  }

  /** The key; the client address is the one the proxy's {@code clientAddress} settings resolve. */
  static String of(Policy policy, Exchange exchange) {
    StringBuilder sb = new StringBuilder(48).append(policy.id());
    for (KeyPart part : policy.by()) {
      sb.append(SEPARATOR);
      if (part instanceof KeyPart.Client) {
        sb.append(exchange.clientAddress());
      } else if (part instanceof KeyPart.Consumer) {
        String consumer = exchange.get(Attachments.CONSUMER);
        // No consumer (no auth ran, or an anonymous request): each client address is its own anonymous consumer.
        sb.append(consumer != null ? "c:" + consumer : "ip:" + exchange.clientAddress());
      } else if (part instanceof KeyPart.Rule) {
        String key = exchange.get(Attachments.RATE_LIMIT_KEY);
        // No rule keyed it: each client address is its own key, as for requests without a consumer.
        sb.append(key != null ? "r:" + key : "ip:" + exchange.clientAddress());
      } else if (part instanceof KeyPart.Header h) {
        String v = exchange.headers().get(h.name());
        sb.append(v == null ? "" : v);
      } else {
        // The canonical path: /LOGIN and /login are one key, so spelling a path differently buys no new budget.
        sb.append(exchange.canonicalPath());
      }
    }
    return sb.length() <= MAX_KEY_LENGTH ? sb.toString() : hashed(policy.id(), sb);
  }

  private static String hashed(String id, CharSequence key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
      return id + SEPARATOR + "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
