package dev.harp.engine;

/**
 * What one exchange was, once it ended: the facts every observer needs, no live objects.
 *
 * @param status        status sent to the client (0 if none could be sent)
 * @param failure       why HARP (or a filter) ended it abnormally, or null
 * @param upstream      endpoint label, or null when answered locally
 * @param durationNanos from request head received to response end
 * @param upstreamNanos from upstream request sent to upstream response head, or -1
 */
public record CompletedExchange(String proxy, String requestId, String method, String path, int status,
                                FailureKind failure, String upstream, long startEpochMillis, long durationNanos,
                                long upstreamNanos, long bytesIn, long bytesOut, String client, boolean upgrade) {

  public boolean isError() {
    return failure != null || status >= 500;
  }
}
