package dev.harp.ratelimit;

/**
 * A key's state right after a decision, for the RateLimit header: each limit's TAT and the time it was read at.
 * Null where a decision was made without knowing the state ({@code onClusterFailure: allow}).
 */
public record Quota(long now, long[] tats) {
}
