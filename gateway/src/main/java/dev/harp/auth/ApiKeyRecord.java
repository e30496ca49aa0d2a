package dev.harp.auth;

import java.io.Serializable;
import java.util.List;

/**
 * One API key as the cluster stores it, under the key's SHA-256 (the key itself is never stored). Records only go
 * from active to revoked, never back, so any two copies merge by "revoked wins".
 *
 * @param origin {@code config} or {@code api}
 */
public record ApiKeyRecord(String consumer, String id, List<String> groups, boolean revoked, String origin,
                           long createdAt) implements Serializable {

  public ApiKeyRecord {
    groups = List.copyOf(groups);
  }

  ApiKeyRecord asRevoked() {
    return new ApiKeyRecord(consumer, id, groups, true, origin, createdAt);
  }
}
