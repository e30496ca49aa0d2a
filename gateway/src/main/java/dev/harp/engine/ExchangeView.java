package dev.harp.engine;

import dev.harp.http.CanonicalPath;
import dev.harp.spi.Attachment;
import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import dev.harp.spi.FetchedResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The SPI's {@link Exchange} over one {@link ProxyExchange}; one per exchange, shared by all its filters. */
final class ExchangeView implements Exchange {

  static final String KEY = ExchangeView.class.getName();

  private final ProxyExchange ex;
  private Map<Attachment<?>, Object> attachments;
  private String canonicalPath;
  private boolean canonicalPathRead;

  private ExchangeView(ProxyExchange ex) {
    this.ex = ex;
  }

  /** The exchange behind the view, for HARP's own filters that need more than the SPI (body access). */
  ProxyExchange exchange() {
    return ex;
  }

  /** The exchange's view, made on first use. */
  static ExchangeView of(ProxyExchange ex) {
    Object view = ex.attributes().get(KEY);
    if (view == null) {
      view = new ExchangeView(ex);
      ex.attributes().put(KEY, view);
    }
    return (ExchangeView) view;
  }

  @Override
  public String proxyName() {
    return ex.proxyName();
  }

  @Override
  public String requestId() {
    return ex.requestId();
  }

  @Override
  public HttpMethod method() {
    return ex.request().method();
  }

  @Override
  public String uri() {
    return ex.request().uri();
  }

  @Override
  public String upstreamUri() {
    return ex.upstreamUri();
  }

  @Override
  public void upstreamUri(String uri) {
    if (uri == null || !uri.startsWith("/")) {
      throw new IllegalArgumentException("an upstream target starts with '/', got '" + uri + "'");
    }
    ex.upstreamUri(uri);
  }

  @Override
  public String path() {
    return ex.request().path();
  }

  @Override
  public String canonicalPath() {
    if (!canonicalPathRead) {
      canonicalPathRead = true;
      canonicalPath = ex.canonicalPath();
      if (canonicalPath == null && CanonicalPath.of(ex.request().path()) instanceof CanonicalPath.Ok ok) {
        canonicalPath = ok.path();
      }
    }
    return canonicalPath;
  }

  @Override
  public String query() {
    return ex.request().query();
  }

  @Override
  public MultiMap headers() {
    return ex.request().headers();
  }

  @Override
  public void editRequestHeaders(Consumer<MultiMap> editor) {
    editor.accept(ex.request().headers()); // what the chain after this filter and the forwarder read
  }

  @Override
  public String clientAddress() {
    return ex.resolvedClientAddress();
  }

  @Override
  public String peerAddress() {
    var peer = ex.request().remoteAddress();
    return peer == null ? null : peer.hostAddress();
  }

  @Override
  public Future<FetchedResponse> fetch(Consumer<MultiMap> headers, long maxBody) {
    return ex.fetch(headers, maxBody);
  }

  @Override
  public boolean isUpgrade() {
    return ex.isUpgrade();
  }

  @Override
  public <T> T get(Attachment<T> key) {
    if (SharedAttachments.isShared(key)) {
      return key.cast(SharedAttachments.get(ex, key));
    }
    return attachments == null ? null : key.cast(attachments.get(key));
  }

  @Override
  public <T> void put(Attachment<T> key, T value) {
    if (SharedAttachments.isShared(key)) {
      SharedAttachments.put(ex, key, value == null ? null : key.cast(value));
      return;
    }
    if (attachments == null) {
      attachments = new IdentityHashMap<>(4);
    }
    if (value == null) {
      attachments.remove(key);
    } else {
      attachments.put(key, key.cast(value));
    }
  }

  @Override
  public void editUpstreamHeaders(Consumer<MultiMap> editor) {
    ex.editUpstreamRequest(editor);
  }

  @Override
  public MultiMap responseHeaders() {
    return ex.request().response().headers();
  }

  @Override
  public void respond(int status, MultiMap headers, Buffer body) {
    ex.respond(status, headers, body);
  }

  @Override
  public void reject(Failure failure) {
    ex.reject(ProxyFailure.kindOf(failure.type()), failure.detail(), failure.retryAfterSeconds());
  }

  @Override
  public void fail(Failure failure, Throwable cause) {
    ex.fail(ProxyFailure.kindOf(failure.type()), failure.detail(), cause, failure.retryAfterSeconds());
  }

  @Override
  public boolean isCompleted() {
    return ex.isCompleted();
  }
}
