package dev.harp.spi;

/** Continues an exchange with the next filter of the pipeline, then the upstream. */
@FunctionalInterface
public interface Next {

  /** Continues; calling it again, or after the exchange ended, does nothing. */
  void proceed();
}
