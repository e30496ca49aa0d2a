package dev.harp.ratelimit;

/**
 * One key's update inside a bucket: what the caller gets back, and the key's new state (null when unchanged, so
 * nothing is written or backed up).
 */
record Step(long[] result, long[] value) {
}
