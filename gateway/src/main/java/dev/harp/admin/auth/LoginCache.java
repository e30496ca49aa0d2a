package dev.harp.admin.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers successful password checks for a short while, so a browser's many requests (page, scripts, the event-bus
 * bridge's polls) pay for bcrypt once. Entries are keyed by an HMAC of user, stored hash and password under a random
 * per-process key: nothing here, nor in a heap dump, lets anyone test password guesses faster than bcrypt allows.
 */
final class LoginCache {

  /** Bounds memory if someone cycles through many valid logins; full means expired entries go, then all. */
  static final int MAX_ENTRIES = 1024;

  private final SecretKeySpec key;
  private final long ttlNanos;
  private final Map<String, Long> expiries = new ConcurrentHashMap<>();

  LoginCache(Duration ttl) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.ttlNanos = ttl.toNanos();
  }

  /** The cache key of one login attempt; also the key concurrent checks of the same login share. */
  String keyOf(String user, String storedHash, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(user.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  boolean contains(String cacheKey) {
    Long expiry = expiries.get(cacheKey);
    if (expiry == null) {
      return false;
    }
    if (System.nanoTime() - expiry >= 0) {
      expiries.remove(cacheKey, expiry);
      return false;
    }
    return true;
  }

  void remember(String cacheKey) {
    if (ttlNanos <= 0) {
      return;
    }
    if (expiries.size() >= MAX_ENTRIES) {
      evict();
    }
    expiries.put(cacheKey, System.nanoTime() + ttlNanos);
  }

  private void evict() {
    long now = System.nanoTime();
    for (Iterator<Long> it = expiries.values().iterator(); it.hasNext(); ) {
      if (now - it.next() >= 0) {
        it.remove();
      }
    }
    if (expiries.size() >= MAX_ENTRIES) {
      expiries.clear();
    }
  }

  int size() {
    return expiries.size();
  }
}
