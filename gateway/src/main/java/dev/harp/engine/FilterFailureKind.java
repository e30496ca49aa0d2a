package dev.harp.engine;

import dev.harp.spi.FailureType;

/** A filter's own failure type as the engine's open failure kind (metrics, logs and events read only these facts). */
record FilterFailureKind(FailureType kind) implements FailureKind {

  @Override
  public String slug() {
    return kind.slug();
  }

  @Override
  public int status() {
    return kind.status();
  }

  @Override
  public String title() {
    return kind.title();
  }
}
