package dev.harp.engine;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.config.HarpConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.Map;

/**
 * What the node hands the engine for its filters: Vert.x, the Hazelcast member, the meter registry, the proxies'
 * runtimes by name, and the admin router (filters mount API routes under {@code /api/...}).
 */
public record NodeServices(String nodeName, HarpConfig config, Vertx vertx, HazelcastInstance hazelcast,
                          MeterRegistry metrics, Map<String, ProxyRuntime> proxies, Router adminRouter) {
}
