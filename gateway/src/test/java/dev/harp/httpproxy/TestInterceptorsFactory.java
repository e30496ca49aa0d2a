package dev.harp.httpproxy;

import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;
import io.vertx.httpproxy.ProxyInterceptor;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a plugin does to run its own vertx-http-proxy interceptors: a factory whose filter is
 * {@link HttpProxyInterceptors#filter}. For tests, the interceptors are chosen by name from {@link #SETS}
 * ({@code test-interceptors: {use: json, maxBodySize: 64}}).
 */
public final class TestInterceptorsFactory implements FilterFactory<TestInterceptorsFactory.Use> {

  /** Named interceptor lists, registered by a test before its node starts. */
  static final Map<String, Supplier<List<ProxyInterceptor>>> SETS = new ConcurrentHashMap<>();

  record Use(String name, long maxBodySize) {
  }

  @Override
  public String name() {
    return "test-interceptors";
  }

  @Override
  public Placement placement() {
    return Placement.after("cache", HttpProxyInterceptorsFactory.NAME);
  }

  @Override
  public Use read(ConfigBlock block) {
    block.allowOnly(Set.of("use", "maxBodySize"));
    return new Use(block.requiredString("use"),
        block.integer("maxBodySize", HttpProxyInterceptors.DEFAULT_MAX_BODY_SIZE, 1, Integer.MAX_VALUE));
  }

  @Override
  public Filter create(Use use, FilterContext context) {
    Supplier<List<ProxyInterceptor>> set = SETS.get(use.name());
    if (set == null) {
      throw new IllegalStateException("no interceptor set '" + use.name() + "'");
    }
    return HttpProxyInterceptors.filter(use.maxBodySize(), set.get());
  }
}
