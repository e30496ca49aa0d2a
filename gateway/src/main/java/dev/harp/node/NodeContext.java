package dev.harp.node;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.config.HarpConfig;
import dev.harp.engine.ProxyRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.Map;

/**
 * What a {@link ProxyFeature} gets from its node: Vert.x, the Hazelcast member, the meter registry, the proxies'
 * runtimes by name, and the admin router (mount API routes under {@code /api/...}).
 */
public record NodeContext(String nodeName, HarpConfig config, Vertx vertx, HazelcastInstance hazelcast,
                          MeterRegistry metrics, Map<String, ProxyRuntime> proxies, Router adminRouter) {
}
