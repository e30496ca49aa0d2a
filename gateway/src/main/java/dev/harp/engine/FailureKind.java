package dev.harp.engine;

/**
 * A kind of failure that ended an exchange: HARP's own ({@link ProxyFailure}) or one a filter defined through the
 * SPI ({@code dev.harp.spi.FailureType}). Metrics, logs and events read only these three facts, so the set is open.
 */
public interface FailureKind {

  /** The last segment of the problem type, and the {@code failure} label/field in metrics, logs and events. */
  String slug();

  int status();

  String title();

  /** The problem type URI. */
  default String type() {
    return ProxyFailure.TYPE_BASE + slug();
  }
}
