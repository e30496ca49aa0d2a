package dev.harp.config;

import java.net.InetAddress;
import java.util.regex.Pattern;

/** Checks for addresses in the config. Literal IPs only where binding, so no DNS lookup happens at load time. */
final class Addresses {

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

  private Addresses() {
  }

  static String requireIp(String s) {
    if (IPV4.matcher(s).matches()) {
      for (String part : s.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          throw new IllegalArgumentException("'" + s + "' is not a valid IPv4 address");
        }
      }
      return s;
    }
    if (s.contains(":")) {
      try {
        InetAddress.getByName(s); // a literal IPv6 address never triggers a lookup
        return s;
      } catch (Exception e) {
        // fall through
      }
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
