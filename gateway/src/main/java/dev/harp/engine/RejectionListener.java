package dev.harp.engine;

/**
 * Observes requests refused before any exchange began (smuggling attempts, malformed heads, limits, slow
 * headers): the metric and the log line for hostile input.
 *
 * @see ProxyRuntime#rejected
 */
@FunctionalInterface
public interface RejectionListener {

  /**
   * @param reason short stable slug, e.g. {@code content-length-and-transfer-encoding}, {@code uri-too-long}
   * @param status the status answered (400, 408, 413, 414, 431), or 0 when the connection was only closed
   */
  void onRejected(String proxy, String reason, int status);
}
