/**
 * vertx-http-proxy's {@code ProxyInterceptor}s as HARP filters: {@link dev.harp.httpproxy.HttpProxyInterceptors}
 * (Java, for plugins and embedding code) and the {@code http-proxy-interceptors:} config block
 * ({@link dev.harp.httpproxy.HttpProxyInterceptorsFactory}). The adapter maps the library's
 * {@code ProxyContext}/{@code ProxyRequest}/{@code ProxyResponse} onto one HARP exchange.
 */
package dev.harp.httpproxy;
