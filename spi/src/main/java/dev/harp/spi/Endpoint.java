package dev.harp.spi;

/** One upstream endpoint of a proxy, as filters see it when an attempt's endpoint is chosen and judged. */
public interface Endpoint {

  /** @return its URL as configured, e.g. {@code http://10.0.0.5:8080/api}; also its label in metrics */
  String label();

  /** @return its pool: {@code primary}, {@code fallback}, or the name of one of {@code upstream.pools} */
  String pool();
}
