package dev.harp.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Hashes for machine secrets (admin bearer tokens, consumer API keys). These are long random strings, so a fast
 * SHA-256 is as good as bcrypt against guessing and lets every request be checked on the event loop; passwords that
 * people choose take bcrypt instead (see {@code dev.harp.admin.auth.PasswordChecks}).
 */
public final class KeyHash {

  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyHash() {
  }

  /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code secret}. */
  public static String sha256Hex(String secret) {
    return HexFormat.of().formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8)));
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A new random secret: 32 bytes from SecureRandom, base64url, after a prefix that makes leaked ones greppable. */
  public static String newSecret(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
