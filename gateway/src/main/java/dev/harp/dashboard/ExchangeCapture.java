package dev.harp.dashboard;

import dev.harp.capture.CaptureFilter;
import dev.harp.capture.CaptureSettings;
import dev.harp.capture.PreviewTap;
import dev.harp.capture.Redactor;
import dev.harp.capture.PreviewTap.BodyPreview;
import dev.harp.observe.TrafficCapture;
import dev.harp.engine.CompletedExchange;
import dev.harp.engine.ProxyExchange;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Feeds the node's {@link TransactionStore} from the traffic events. On the exchange's event loop, only for the
 * exchanges the events budget admitted, it copies the heads (name/value references into two arrays; no redaction,
 * no JSON) and takes the body-preview tap; on the observers' loop it redacts and builds the stored transaction. So
 * the store never holds an unredacted secret for longer than one flush (~100 ms).
 */
final class ExchangeCapture implements TrafficCapture {

  /**
   * Exchange attribute a feature sets to a {@code Collection<String>} of secret values it handled for this exchange
   * (e.g. an injected upstream credential): they are scrubbed from every captured header and body preview.
   */
  public static final String SECRET_VALUES = "harp.secretValues";

  /** What is copied on the event loop; everything here is immutable or no longer written. */
  record Captured(String[] requestHeaders, String[] responseHeaders, BodyPreview requestBody, BodyPreview responseBody,
                  String query, String httpVersion, Object secretValues) {
  }

  private final Map<String, Redactor.Rules> rules = new HashMap<>();
  private final Redactor.Rules defaults;
  private final TransactionStore store;

  ExchangeCapture(Map<String, CaptureSettings> settingsByProxy, TransactionStore store) {
    this(settingsByProxy, store, List.of());
  }

  /** @param configSecrets what the node's config masks, scrubbed from every capture (see MaskedConfig) */
  ExchangeCapture(Map<String, CaptureSettings> settingsByProxy, TransactionStore store,
                  java.util.Collection<String> configSecrets) {
    settingsByProxy.forEach((proxy, s) -> rules.put(proxy, Redactor.Rules.of(s, configSecrets)));
    this.defaults = Redactor.Rules.of(CaptureSettings.DEFAULT, configSecrets);
    this.store = store;
  }

  @Override
  public Object capture(CompletedExchange done, ProxyExchange live) {
    HttpServerRequest request = live.request();
    BodyPreview reqBody = null;
    BodyPreview respBody = null;
    PreviewTap tap = live.attachment(CaptureFilter.PREVIEW);
    if (tap != null) {
      reqBody = tap.requestPreview();
      respBody = tap.responsePreview();
    }
    // attributes() allocates its map when no feature made one: acceptable here, admitted exchanges only.
    Object secrets = live.attributes().get(SECRET_VALUES);
    return new Captured(copy(request.headers()), copy(request.response().headers()), reqBody, respBody,
        request.query(), request.version() == null ? null : request.version().alpnName(), secrets);
  }

  @Override
  public void published(CompletedExchange done, JsonObject event, Object captured) {
    JsonObject detail = TransactionDetail.build(done, event, captured instanceof Captured c ? c : null,
        rules.getOrDefault(done.proxy(), defaults));
    store.add(event, detail);
  }

  private static final class HeadCopy implements java.util.function.BiConsumer<String, String> {
    private String[] out;
    private int i;

    HeadCopy(int capacity) {
      out = new String[capacity];
    }

    @Override
    public void accept(String name, String value) {
      if (i + 2 > out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      out[i++] = name;
      out[i++] = Objects.toString(value, "");
    }

    String[] result() {
      return i == out.length ? out : Arrays.copyOf(out, i);
    }
  }

  /** Name, value, name, value...: header names and values are immutable strings, so references suffice. */
  static String[] copy(MultiMap headers) {
    // size() counts names, not fields: a repeated field needs more room. forEach walks the map's own entry list;
    // its iterator() builds a list of entries first, which cost several times more.
    HeadCopy copy = new HeadCopy(headers.size() * 2 + 4);
    headers.forEach(copy);
    return copy.result();
  }
}
