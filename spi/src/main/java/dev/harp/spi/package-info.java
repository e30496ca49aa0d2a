/**
 * HARP's filter SPI: the one interface through which behaviour joins a proxy's request path.
 *
 * <p>A {@link dev.harp.spi.FilterFactory}, found by {@link java.util.ServiceLoader} on the node's class path or in a
 * jar under {@code plugins/}, names its config key, reads and validates its block ({@link dev.harp.spi.ConfigBlock}),
 * says where it sits ({@link dev.harp.spi.Placement}), and creates one {@link dev.harp.spi.Filter} per proxy whose
 * config has its block. The filter sees each {@link dev.harp.spi.Exchange} at the phases it implements.
 *
 * <p>Threading: every callback runs on the exchange's event loop. Never block in one; do slow work with
 * {@code vertx.executeBlocking} and continue on the exchange's context.
 *
 * <p>Versioning: this package is versioned on its own (the jar's {@code Implementation-Version}); while it is 0.x,
 * a minor version may change it incompatibly, and the README says what changed.
 */
package dev.harp.spi;
