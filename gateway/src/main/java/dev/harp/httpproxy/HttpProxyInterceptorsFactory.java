package dev.harp.httpproxy;

import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;

import java.util.List;

/**
 * The {@code http-proxy-interceptors:} block of a proxy: vertx-http-proxy's builder interceptor (path prefix, query
 * and header edits) from config. After {@code cache}: edits of the upstream request are not part of the cache key
 * (the client's request is), and a cache hit answers before them, with the response edits it was stored with.
 */
public final class HttpProxyInterceptorsFactory implements FilterFactory<InterceptorsReader.Config> {

  public static final String NAME = "http-proxy-interceptors";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Placement placement() {
    return Placement.after("cache");
  }

  @Override
  public InterceptorsReader.Config read(ConfigBlock block) {
    return InterceptorsReader.read(block);
  }

  @Override
  public Filter create(InterceptorsReader.Config config, FilterContext context) {
    return HttpProxyInterceptors.filter(config.maxBodySize(), List.of(config.interceptor()));
  }
}
