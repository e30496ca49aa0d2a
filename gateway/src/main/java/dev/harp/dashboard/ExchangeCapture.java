package dev.harp.dashboard;

import dev.harp.capture.CaptureFilter;
import dev.harp.capture.HeaderCopy;
import dev.harp.capture.CaptureSettings;
import dev.harp.capture.PreviewTap;
import dev.harp.capture.Redactor;
import dev.harp.capture.PreviewTap.BodyPreview;
import dev.harp.observe.TrafficCapture;
import dev.harp.engine.CompletedExchange;
import dev.harp.engine.ProxyExchange;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    return new Captured(HeaderCopy.of(request.headers()), HeaderCopy.of(request.response().headers()), reqBody, respBody,
        request.query(), request.version() == null ? null : request.version().alpnName(), secrets);
  }

  @Override
  public void published(CompletedExchange done, JsonObject event, Object captured) {
    JsonObject detail = TransactionDetail.build(done, event, captured instanceof Captured c ? c : null,
        rules.getOrDefault(done.proxy(), defaults));
    store.add(event, detail);
  }
}
