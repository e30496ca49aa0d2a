package dev.harp.auth;

import dev.harp.spi.Attachment;
import dev.harp.spi.Attachments;

/**
 * The attachments auth puts on an exchange it accepted with an identity, for the filters after it (rules, rate
 * limiting, audit), read with {@code Exchange.get}. Public requests without an API key have none.
 */
public final class AuthAttributes {

  /** The consumer's name when the request carried a valid API key: the SPI's {@link Attachments#CONSUMER}. */
  public static final Attachment<String> CONSUMER = Attachments.CONSUMER;
  /** The {@link Identity}: a session's user or an API key's consumer. */
  public static final Attachment<Identity> IDENTITY = Attachment.of("auth.identity", Identity.class);
  /** The API key's id (never the key), for audit. */
  public static final Attachment<String> KEY_ID = Attachment.of("auth.keyId", String.class);

  private AuthAttributes() {
  }
}
