/**
 * The engine: one proxy's request path, top to bottom, and how filters join it.
 *
 * <p><b>The request path</b>, in the order an exchange meets it ({@link dev.harp.engine.Phase} names where it is):
 * <ol>
 *   <li>{@link dev.harp.engine.ProxyVerticle} accepts the connection; {@code guard} parses it strictly (smuggling,
 *       sizes, timeouts) and refuses what is hostile before an exchange exists;</li>
 *   <li>{@link dev.harp.engine.ProxyExchange} is the exchange ({@code REQUEST}): its canonical path (the client address
 *       is resolved at first use),
 *       then the pipeline of stages in order ({@link dev.harp.engine.FilterStage} runs each SPI filter, HARP's
 *       built-ins and plugins alike, as one {@link dev.harp.engine.ProxyInterceptor} of the chain); any stage may
 *       answer ({@code respond}) or refuse ({@code reject}), and every problem answer is written by
 *       {@link dev.harp.engine.Problems};</li>
 *   <li>{@link dev.harp.engine.HttpForwarder} makes the attempts ({@code ATTEMPT}): the
 *       {@link dev.harp.engine.UpstreamPolicy} chooses each attempt's endpoint and judges its outcome (deliver or
 *       retry elsewhere); each attempt is one {@link dev.harp.engine.UpstreamCall}, the one place outcomes reach the
 *       policy and an endpoint's in-flight count is held; {@link dev.harp.engine.RequestBody} streams (and, for
 *       retries, keeps) the request body; a dead pooled connection is resent on another endpoint;</li>
 *   <li>{@link dev.harp.engine.ResponseRelay} relays the delivered attempt's response ({@code RELAY}): response
 *       observers (the filters' response-head phases, the http-proxy adapter) see it and may take it over (the
 *       cache answers a 304 with its stored response); an upstream failure before the head went out is offered to
 *       them first (the filters' {@code onUpstreamFailure}: stale-if-error); the body streams with
 *       back-pressure under the idle timeout, through the filters' body phases ({@link dev.harp.engine.BodyPhases},
 *       which the request body and local answers pass too);</li>
 *   <li>or {@link dev.harp.engine.UpgradeTunnel} splices a WebSocket (any HTTP/1.1 upgrade) end to end
 *       ({@code UPGRADE});</li>
 *   <li>completion ({@code DONE}): filters' {@code onComplete}, then the {@link dev.harp.engine.ExchangeListener}s
 *       (metrics, access log, traffic events) hear a {@link dev.harp.engine.CompletedExchange}, once.</li>
 * </ol>
 * Background fetches of a filter ({@code Exchange.fetch}: the cache's revalidations) go out through
 * {@link dev.harp.engine.UpstreamFetch}, an {@link dev.harp.engine.UpstreamCall} too.
 *
 * <p><b>The pipeline</b>: {@link dev.harp.engine.FilterFactories} finds the filter factories (HARP's jar and
 * {@code plugins/}), {@link dev.harp.engine.FilterBlockReader} gives each its config block,
 * {@link dev.harp.engine.PipelineOrder} orders every filter of a proxy by placement (ties and cycles refuse the
 * config), and {@link dev.harp.engine.FilterStage} runs one filter in the chain over an
 * {@link dev.harp.engine.ExchangeView}, the SPI's view of the exchange.
 */
package dev.harp.engine;
