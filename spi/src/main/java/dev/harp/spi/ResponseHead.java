package dev.harp.spi;

import io.vertx.core.MultiMap;

/** The upstream response head as a filter sees it in {@link Filter#onResponseHead}. */
public interface ResponseHead {

  /** @return the upstream's status code */
  int status();

  /** @return the header fields as the upstream sent them (read only) */
  MultiMap upstreamHeaders();

  /** @return the header fields the client will get (hop-by-hop ones already removed): edit freely */
  MultiMap headers();
}
