package dev.harp.engine;

/**
 * {@link ProxyExchange#attributes()} keys that several features share, so that none imports another's package: the
 * SPI's well-known attachments ({@code dev.harp.spi.Attachments}) are kept under these, and filters and HARP's own
 * interceptors see one value.
 */
public final class ExchangeAttributes {

  /** The API key's consumer (a String), set by auth; read by {@code by: consumer} and rules' {@code identity}. */
  public static final String CONSUMER = "consumer";
  /** The rate-limit key (a String) a rule or another filter set; read by {@code by: rule}. */
  public static final String RATE_LIMIT_KEY = "harp.rateLimitKey";

  private ExchangeAttributes() {
  }
}
