package dev.harp.rules;

import dev.harp.http.CanonicalPath;
import dev.harp.spi.Attachment;
import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** An exchange that records what a filter did to it. */
final class TestExchange implements Exchange {

  final HttpMethod method;
  final String uri;
  final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
  final MultiMap responseHeaders = MultiMap.caseInsensitiveMultiMap();
  final List<Consumer<MultiMap>> upstreamEditors = new ArrayList<>();
  final Map<Attachment<?>, Object> attachments = new HashMap<>();
  String clientAddress = "127.0.0.1";
  Failure rejected;
  boolean proceeded;

  TestExchange(HttpMethod method, String uri) {
    this.method = method;
    this.uri = uri;
  }

  TestExchange header(String name, String value) {
    headers.add(name, value);
    return this;
  }

  /** The upstream headers after every editor ran over the client's. */
  MultiMap upstreamHeaders() {
    MultiMap m = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    upstreamEditors.forEach(e -> e.accept(m));
    return m;
  }

  @Override
  public String proxyName() {
    return "api";
  }

  @Override
  public String requestId() {
    return "req-1";
  }

  @Override
  public HttpMethod method() {
    return method;
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  @Override
  public String canonicalPath() {
    return CanonicalPath.of(path()) instanceof CanonicalPath.Ok ok ? ok.path() : null;
  }

  @Override
  public String query() {
    int q = uri.indexOf('?');
    return q < 0 ? null : uri.substring(q + 1);
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  @Override
  public String clientAddress() {
    return clientAddress;
  }

  @Override
  public boolean isUpgrade() {
    return false;
  }

  @Override
  public <T> T get(Attachment<T> key) {
    return key.cast(attachments.get(key));
  }

  @Override
  public <T> void put(Attachment<T> key, T value) {
    attachments.put(key, value);
  }

  @Override
  public void editUpstreamHeaders(Consumer<MultiMap> editor) {
    upstreamEditors.add(editor);
  }

  @Override
  public MultiMap responseHeaders() {
    return responseHeaders;
  }

  @Override
  public void respond(int status, MultiMap headers, Buffer body) {
    throw new AssertionError("rules never answer themselves");
  }

  @Override
  public void reject(Failure failure) {
    rejected = failure;
  }

  @Override
  public boolean isCompleted() {
    return rejected != null;
  }
}
