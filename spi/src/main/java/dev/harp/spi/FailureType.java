package dev.harp.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A kind of failure, answered as {@code application/problem+json} with this status and a problem type URI ending
 * in {@link #slug}. The set is open: HARP's own kinds (e.g. {@code rate-limited}, {@code upstream-connect-failed})
 * and any a filter defines for itself.
 *
 * @param status the HTTP status of the answer, 400 to 599
 * @param slug   the last segment of the problem type, lowercase words joined by '-', e.g. {@code signature-invalid}
 * @param title  the problem's short human title, e.g. "Bad Request"
 */
public record FailureType(int status, String slug, String title) {

  private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /**
   * Checks the fields.
   *
   * @param status the HTTP status, 400 to 599
   * @param slug   lowercase words joined by '-'
   * @param title  the short title
   * @throws IllegalArgumentException when the status or the slug is not of that form
   */
  public FailureType {
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(title, "title");
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 400-599, not " + status);
    }
    if (!SLUG.matcher(slug).matches()) {
      throw new IllegalArgumentException("slug must be lowercase words joined by '-', not '" + slug + "'");
    }
  }
}
