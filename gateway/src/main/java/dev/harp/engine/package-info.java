/**
 * The engine: how {@link dev.harp.spi.Filter}s join a proxy's request path. {@link dev.harp.engine.FilterFactories}
 * finds the factories (HARP's own jar and {@code plugins/}), {@link dev.harp.engine.FilterBlockReader} gives each
 * its config block, {@link dev.harp.engine.PipelineOrder} orders every filter of a proxy by placement (ties and
 * cycles refuse the config), and {@link dev.harp.engine.FilterStage} runs one filter in the chain over an
 * {@link dev.harp.engine.ExchangeView}.
 */
package dev.harp.engine;
