package dev.harp.ratelimit;

import dev.harp.net.ClientAddresses;
import dev.harp.engine.ExchangeAttributes;
import dev.harp.engine.ProxyExchange;

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

  /** The exchange attribute an auth feature sets to the consumer's id (a String). */
  static final String CONSUMER_ATTRIBUTE = ExchangeAttributes.CONSUMER;
  /** The exchange attribute a rule (or any filter) sets to the key for {@code by: rule} (a String). */
  static final String RULE_KEY_ATTRIBUTE = ExchangeAttributes.RATE_LIMIT_KEY;
  static final int MAX_KEY_LENGTH = 200;
  private static final char SEPARATOR = '\u001f';

  private RateLimitKeys() {
  }

  static String of(Policy policy, ProxyExchange exchange, ClientAddresses clients) {
    StringBuilder sb = new StringBuilder(48).append(policy.id());
    for (KeyPart part : policy.by()) {
      sb.append(SEPARATOR);
      if (part instanceof KeyPart.Client) {
        sb.append(clients.of(exchange));
      } else if (part instanceof KeyPart.Consumer) {
        Object consumer = exchange.attributes().get(CONSUMER_ATTRIBUTE);
        // No consumer (no auth ran, or an anonymous request): each client address is its own anonymous consumer.
        sb.append(consumer != null ? "c:" + consumer : "ip:" + clients.of(exchange));
      } else if (part instanceof KeyPart.Rule) {
        Object key = exchange.attributes().get(RULE_KEY_ATTRIBUTE);
        // No rule keyed it: each client address is its own key, as for requests without a consumer.
        sb.append(key != null ? "r:" + key : "ip:" + clients.of(exchange));
      } else if (part instanceof KeyPart.Header h) {
        String v = exchange.request().getHeader(h.name());
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
