package dev.harp.config;

import dev.harp.net.IpLiterals;

import java.util.regex.Pattern;

/** Checks for addresses in the config. Literal IPs only where binding, so no DNS lookup happens at load time. */
final class Addresses {

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

  private Addresses() {
  }

  static String requireIp(String s) {
    if (IpLiterals.parse(s) != null) {
      return s;
    }
    throw new IllegalArgumentException("'" + s + "' is not an IP address (a literal address is required here)");
  }

  static void requireHostPort(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("'" + s + "' is not host:port");
    }
    String host = s.substring(0, colon);
    String port = s.substring(colon + 1);
    if (!port.chars().allMatch(Character::isDigit) || port.length() > 5 || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException("'" + s + "' has an invalid port");
    }
    if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("'" + s + "' has an invalid host");
    }
  }
}
