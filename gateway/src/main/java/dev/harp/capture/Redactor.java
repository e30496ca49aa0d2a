package dev.harp.capture;

import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts one captured exchange for the dashboard. Three rules, applied to everything shown: named header fields
 * lose their values; named JSON and form fields in body previews lose theirs (by pattern, so a truncated preview
 * that is no longer valid JSON is redacted too); and every secret value seen in the exchange (the credentials of
 * redacted headers, cookie values, values a feature declared) is scrubbed wherever else it appears, e.g. echoed
 * back in a response body.
 */
public final class Redactor {

  public static final String REDACTED = "[REDACTED]";
  /** Shorter values are not scrubbed from free text: replacing "a" everywhere would destroy the preview. */
  private static final int MIN_SECRET_LENGTH = 4;

  /** One proxy's field patterns, compiled once: compiling them per transaction cost more than all the rest. */
  public record Rules(CaptureSettings settings, Pattern jsonFields, Pattern formFields, Collection<String> configSecrets) {

    public static Rules of(CaptureSettings settings) {
      return of(settings, List.of());
    }

    /** @param configSecrets values the node's config masks (injected credentials): always scrubbed */
    public static Rules of(CaptureSettings settings, Collection<String> configSecrets) {
      String names = String.join("|", settings.redactFields().stream().map(Pattern::quote).toList());
      // A field name, quoted or with escaped quotes (JSON inside a JSON string, as echoing upstreams send it), then
      // its value: an escaped string, a string (possibly cut by the preview cap), or a bare token.
      return new Rules(settings, Pattern.compile("((\\\\?)\"(?i:" + names + ")\\\\?\"\\s*:\\s*)"
          + "(\\\\\"(?:(?!\\\\\").)*(?:\\\\\")?|\"(?:[^\"\\\\]|\\\\.)*\"?|[^,}\\]\\s]+)"),
          Pattern.compile("((?:^|&)(?i:" + names + ")=)([^&]*)"), List.copyOf(configSecrets));
    }
  }

  private final CaptureSettings settings;
  private final List<String> secrets = new ArrayList<>();
  private final Pattern jsonFields;
  private final Pattern formFields;

  public Redactor(Rules rules, String[] requestHeaders, String[] responseHeaders, Object declared) {
    this.settings = rules.settings();
    this.jsonFields = rules.jsonFields();
    this.formFields = rules.formFields();
    rules.configSecrets().forEach(this::addSecret);
    collectSecrets(requestHeaders);
    collectSecrets(responseHeaders);
    if (declared instanceof Collection<?> values) {
      values.forEach(v -> addSecret(String.valueOf(v)));
    }
    // Longest first, so a value that contains another is scrubbed whole.
    secrets.sort(Comparator.comparingInt(String::length).reversed());
  }

  /** [[name, value], ...] with redacted fields' values replaced and secrets scrubbed from the others. */
  public JsonArray headers(String[] nameValues) {
    JsonArray out = new JsonArray();
    if (nameValues == null) {
      return out;
    }
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      out.add(new JsonArray().add(nameValues[i]).add(value(nameValues[i], nameValues[i + 1])));
    }
    return out;
  }

  /** The same as {@link #headers}, as name, value, name, value... (the audit log's form: no JSON in between). */
  public String[] headerPairs(String[] nameValues) {
    if (nameValues == null) {
      return new String[0];
    }
    String[] out = new String[nameValues.length & ~1];
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      out[i] = nameValues[i];
      out[i + 1] = value(nameValues[i], nameValues[i + 1]);
    }
    return out;
  }

  private String value(String name, String value) {
    return settings.redactsHeader(name) ? REDACTED : scrub(value);
  }

  /** A text preview with named fields redacted (JSON and form encodings) and secrets scrubbed. */
  public String text(String text) {
    String t = mentionsAField(text) ? redactFields(text) : text;
    // Values of redacted fields become secrets too: the request's password is scrubbed from an echoing response.
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    return scrub(t);
  }

  /** Most bodies name no sensitive field at all: a substring check is ~10x cheaper than running the patterns. */
  private boolean mentionsAField(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String name : settings.redactFields()) {
      if (lower.contains(name)) {
        return true;
      }
    }
    return false;
  }

  private String redactFields(String text) {
    String t = jsonFields.matcher(text).replaceAll(m -> {
      String quote = m.group(2) + "\"";
      addSecret(unquote(m.group(3)));
      return Matcher.quoteReplacement(m.group(1) + quote + REDACTED + quote);
    });
    if (t.indexOf('=') >= 0) {
      t = formFields.matcher(t).replaceAll(m -> {
        addSecret(m.group(2));
        return Matcher.quoteReplacement(m.group(1) + REDACTED);
      });
    }
    return t;
  }

  public String scrub(String value) {
    if (value == null || secrets.isEmpty()) {
      return value;
    }
    String out = value;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, REDACTED);
      }
    }
    return out;
  }

  private void collectSecrets(String[] nameValues) {
    if (nameValues == null) {
      return;
    }
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      if (!settings.redactsHeader(nameValues[i])) {
        continue; // most headers: no lower-casing, no allocation
      }
      String name = nameValues[i].toLowerCase(Locale.ROOT);
      String value = nameValues[i + 1];
      addSecret(value);
      if (name.equals("cookie") || name.equals("set-cookie")) {
        for (String part : value.split(";")) {
          int eq = part.indexOf('=');
          if (eq > 0) {
            addSecret(part.substring(eq + 1).trim());
          }
        }
      } else {
        int space = value.indexOf(' ');
        if (space > 0) {
          // "Bearer abc" or "Basic dXNlcjpwYXNz": the credential alone may be echoed, and Basic's decoded form too.
          String credential = value.substring(space + 1).trim();
          addSecret(credential);
          if (value.regionMatches(true, 0, "basic", 0, 5)) {
            try {
              String decoded = new String(Base64.getDecoder().decode(credential), java.nio.charset.StandardCharsets.UTF_8);
              addSecret(decoded);
              int colon = decoded.indexOf(':');
              if (colon >= 0) {
                addSecret(decoded.substring(colon + 1));
              }
            } catch (IllegalArgumentException notBase64) {
              // not Basic after all: the raw credential is scrubbed already
            }
          }
        }
      }
    }
  }

  private static final Pattern QUOTES = Pattern.compile("^\\\\?\"|\\\\?\"$");

  private static String unquote(String v) {
    return QUOTES.matcher(v).replaceAll("");
  }

  private void addSecret(String value) {
    if (value != null && value.length() >= MIN_SECRET_LENGTH && !secrets.contains(value)) {
      secrets.add(value);
    }
  }
}
