package dev.harp.engine;

import dev.harp.spi.Attachment;
import dev.harp.spi.Attachments;

/**
 * Where the SPI's well-known {@link Attachments} live on a {@link ProxyExchange}: HARP's own interceptors (auth,
 * rate limiting, the endpoint choice) are not SPI filters and read the exchange, so these values are kept there
 * (the pool in its own field, the others under {@link ExchangeAttributes}), and a filter's
 * {@link dev.harp.spi.Exchange#get}/{@code put} and HARP's code see one value, whoever wrote it.
 */
final class SharedAttachments {

  private SharedAttachments() {
  }

  /** Whether the key is one of these (compared by identity, like every attachment). */
  static boolean isShared(Attachment<?> key) {
    return key == Attachments.UPSTREAM_POOL || key == Attachments.CONSUMER || key == Attachments.RATE_LIMIT_KEY;
  }

  /** The value of a shared key; the attribute map of an exchange that has a view always exists already. */
  static Object get(ProxyExchange ex, Attachment<?> key) {
    if (key == Attachments.UPSTREAM_POOL) {
      return ex.upstreamPool();
    }
    return ex.attributes().get(attribute(key));
  }

  static void put(ProxyExchange ex, Attachment<?> key, Object value) {
    if (key == Attachments.UPSTREAM_POOL) {
      ex.upstreamPool((String) value);
    } else if (value == null) {
      ex.attributes().remove(attribute(key));
    } else {
      ex.attributes().put(attribute(key), value);
    }
  }

  private static String attribute(Attachment<?> key) {
    return key == Attachments.CONSUMER ? ExchangeAttributes.CONSUMER : ExchangeAttributes.RATE_LIMIT_KEY;
  }
}
