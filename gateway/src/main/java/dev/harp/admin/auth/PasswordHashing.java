package dev.harp.admin.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt, through one well-kept library (at.favre.lib:bcrypt). Both calls are slow on purpose: never call them on an
 * event loop.
 */
public final class PasswordHashing {

  /** bcrypt reads at most 72 bytes of a password; longer ones are refused rather than silently truncated. */
  public static final int MAX_PASSWORD_BYTES = 72;
  public static final int DEFAULT_COST = 12;

  private PasswordHashing() {
  }

  /** A {@code $2a$} hash of {@code password} at {@code cost} (4-31; each step doubles the work). */
  public static String hash(String password, int cost) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      throw new IllegalArgumentException("bcrypt takes at most " + MAX_PASSWORD_BYTES + " bytes of password");
    }
    return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
  }

  /** Whether {@code password} matches a {@code $2a$}/{@code $2b$}/{@code $2y$} hash; a malformed hash never does. */
  public static boolean matches(String password, String storedHash) {
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_PASSWORD_BYTES) {
      return false;
    }
    try {
      return BCrypt.verifyer().verify(bytes, storedHash.getBytes(StandardCharsets.UTF_8)).verified;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
