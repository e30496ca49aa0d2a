package dev.harp.auth;

/**
 * The {@code ProxyExchange.attributes()} keys auth sets for the interceptors after it (rate limiting, cache, audit).
 * Values are set only for requests auth accepted with an identity; public requests without an API key have none.
 */
public final class AuthAttributes {

  /**
   * The consumer's name (a {@code String}) when the request carried a valid API key; rate limiting's {@code by}.
   * Filters read the same value as the SPI's {@code Attachments.CONSUMER}.
   */
  public static final String CONSUMER = dev.harp.engine.ExchangeAttributes.CONSUMER;
  /** The {@link Identity}: a session's user or an API key's consumer. */
  public static final String IDENTITY = "auth.identity";
  /** The API key's id (a {@code String}, never the key), for audit. */
  public static final String KEY_ID = "auth.keyId";

  private AuthAttributes() {
  }
}
