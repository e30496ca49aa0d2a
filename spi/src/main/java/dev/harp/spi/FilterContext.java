package dev.harp.spi;

import io.vertx.core.Vertx;

/** What a {@link FilterFactory} gets from the node when it creates a filter for one proxy. */
public interface FilterContext {

  /** @return the node's Vert.x instance (timers, clients, {@code executeBlocking}) */
  Vertx vertx();

  /** @return the node's name */
  String nodeName();

  /** @return the name of the proxy the filter is for */
  String proxyName();

  /**
   * A counter in the node's {@code /metrics}, as {@code harp_filter_<name>_total} with the proxy's name and the
   * given label values; a filter counts what it did there (matches, refusals) instead of keeping its own.
   *
   * @param name   lowercase words joined by '_', e.g. {@code hmac_signed}
   * @param labels label names and values, alternating
   * @return increments the counter by one each time it runs
   */
  Runnable counter(String name, String... labels);
}
