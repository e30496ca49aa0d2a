package dev.harp.spi;

/**
 * How an exchange ended, for {@link Filter#onComplete}.
 *
 * @param status        the status sent to the client, 0 when none was (the client left, the connection was cut)
 * @param failure       the slug of the failure that ended it (e.g. {@code rate-limited}, {@code client-aborted}),
 *                      null when it was answered normally
 * @param endpoint      the upstream endpoint of its last attempt, null when none was made
 * @param durationNanos from the request head to the end
 * @param bytesOut      response body bytes sent to the client
 */
public record Completion(int status, String failure, String endpoint, long durationNanos, long bytesOut) {
}
