package dev.harp.capture;

import java.util.Locale;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the dashboard captures of one proxy's exchanges (its {@code capture:} block). Heads are always captured for
 * the exchanges the traffic-event budget admits; body previews only when {@code bodyPreview} is above zero.
 *
 * @param bodyPreview  bytes of each body kept for the detail view, 0 (the default) for none
 * @param redactHeaders header fields shown as {@code [REDACTED]}, on top of {@link #ALWAYS_REDACTED_HEADERS}
 * @param redactFields  JSON/form fields whose values are redacted in body previews, on top of
 *                      {@link #ALWAYS_REDACTED_FIELDS}
 */
public record CaptureSettings(int bodyPreview, Set<String> redactHeaders, Set<String> redactFields) {

  public static final int MAX_BODY_PREVIEW = 64 * 1024;

  /** Credentials in transit: never shown, whatever the config says. */
  public static final Set<String> ALWAYS_REDACTED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
      "set-cookie", "x-api-key", "x-auth-token");

  public static final Set<String> ALWAYS_REDACTED_FIELDS = Set.of("password", "passwd", "secret", "token",
      "access_token", "refresh_token", "id_token", "client_secret", "api_key", "apikey", "authorization", "cookie");

  public static final CaptureSettings DEFAULT = new CaptureSettings(0, Set.of(), Set.of());

  public CaptureSettings {
    TreeSet<String> headers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    headers.addAll(lower(redactHeaders, ALWAYS_REDACTED_HEADERS));
    redactHeaders = Collections.unmodifiableSortedSet(headers);
    redactFields = lower(redactFields, ALWAYS_REDACTED_FIELDS);
  }

  /** Case-insensitive without lower-casing each name: the audit log asks this for every header it records. */
  public boolean redactsHeader(String name) {
    return redactHeaders.contains(name);
  }

  private static Set<String> lower(Set<String> configured, Set<String> always) {
    Set<String> all = new TreeSet<>(always);
    configured.forEach(s -> all.add(s.toLowerCase(Locale.ROOT)));
    return Set.copyOf(all);
  }
}
