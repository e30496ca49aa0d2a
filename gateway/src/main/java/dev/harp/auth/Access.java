package dev.harp.auth;

/** What a path requires, from the route rules ({@code auth.rules[].access}) or {@code auth.access}. */
public enum Access {
  /** Anyone; HARP still strips spoofed identity headers and checks an API key if one is sent. */
  PUBLIC("public"),
  /** A valid session (forward auth) or API key. */
  USER("user"),
  /** A valid session or API key whose groups include one of {@code auth.forward.adminGroups}. */
  ADMIN("admin");

  public final String configName;

  Access(String configName) {
    this.configName = configName;
  }

  static Access parse(String text) {
    for (Access a : values()) {
      if (a.configName.equalsIgnoreCase(text)) {
        return a;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not an access level (public, user, admin)");
  }
}
