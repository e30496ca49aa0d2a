package dev.harp.httpproxy;

import dev.harp.spi.Filter;
import io.vertx.httpproxy.BodyTransformers;
import io.vertx.httpproxy.ProxyInterceptor;

import java.util.Arrays;
import java.util.List;

/**
 * Runs vertx-http-proxy {@link ProxyInterceptor}s as one HARP {@link Filter}, so interceptors written for
 * {@code HttpProxy} (the library's {@code ProxyInterceptor.builder()} ones included) work unchanged in a HARP
 * pipeline. A plugin uses it from its own {@code FilterFactory}:
 * <pre>{@code
 * public Filter create(Void config, FilterContext context) {
 *   return HttpProxyInterceptors.filter(ProxyInterceptor.builder()
 *       .transformingResponseBody(BodyTransformers.jsonObject(json -> json.put("via", "harp")))
 *       .build());
 * }
 * }</pre>
 * The interceptors run in the order given, as if added to one {@code HttpProxy} in that order. What maps and what
 * does not is in {@code docs/extending.md}; in short: request method, target, header fields and body go upstream,
 * response status, header fields and body go to the client; a body is read (bounded) only when an interceptor asks
 * for it; WebSocket upgrades, {@code ProxyContext.client()} and {@code ProxyRequest.send} do not map.
 */
public final class HttpProxyInterceptors {

  /** The most a body transform buffers by default: the library's own default for its transformers. */
  public static final long DEFAULT_MAX_BODY_SIZE = BodyTransformers.DEFAULT_MAX_BUFFERED_SIZE;

  private HttpProxyInterceptors() {
  }

  /** The interceptors as one filter, bodies buffered up to {@link #DEFAULT_MAX_BODY_SIZE}. */
  public static Filter filter(ProxyInterceptor... interceptors) {
    return filter(DEFAULT_MAX_BODY_SIZE, Arrays.asList(interceptors));
  }

  /** The interceptors as one filter, bodies buffered up to {@link #DEFAULT_MAX_BODY_SIZE}. */
  public static Filter filter(List<? extends ProxyInterceptor> interceptors) {
    return filter(DEFAULT_MAX_BODY_SIZE, interceptors);
  }

  /**
   * @param maxBodySize the most bytes of one body (request or response) held for an interceptor that reads it;
   *                    past it a request is refused with 413 {@code request-body-too-large} and a response is
   *                    answered 502 {@code response-body-too-large}
   * @param interceptors run in this order
   * @return the filter
   */
  public static Filter filter(long maxBodySize, List<? extends ProxyInterceptor> interceptors) {
    if (maxBodySize <= 0) {
      throw new IllegalArgumentException("maxBodySize must be positive, not " + maxBodySize);
    }
    List<ProxyInterceptor> list = List.copyOf(interceptors);
    if (list.isEmpty()) {
      throw new IllegalArgumentException("no interceptors");
    }
    return new InterceptorFilter(list, maxBodySize);
  }
}
