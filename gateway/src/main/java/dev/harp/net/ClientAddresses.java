package dev.harp.net;

import dev.harp.config.ProxyConfig;

import java.util.List;

/**
 * Who the client is. The TCP peer, unless the peer is a trusted proxy: then the client chain in its header is read
 * from the right (the hops nearest to us, written by proxies we trust) leftwards, and the first address that is not a
 * trusted proxy is the client. Hops further left were written by the client itself and prove nothing, so a client
 * can never pick its own key or dodge a ban by sending {@code X-Forwarded-For}. A hop that is not a plain address
 * (empty, quoted, a name, a zone id, a malformed port) ends the walk at the last trusted hop, as does the
 * {@link #MAX_HOPS}th hop; the address reported is always canonical ({@link IpLiterals}), IPv4-mapped peers as IPv4.
 */
public final class ClientAddresses {

  /** Hops read at most: no real chain of proxies is longer, and a client must not make each request walk kilobytes. */
  static final int MAX_HOPS = 32;

  private final ClientAddressSettings settings;

  public ClientAddresses(ClientAddressSettings settings) {
    this.settings = settings;
  }

  public static ClientAddresses of(ProxyConfig proxy) {
    return new ClientAddresses(proxy.<ClientAddressSettings>feature(ClientAddressReader.KEY)
        .orElse(ClientAddressSettings.DEFAULT));
  }

  public ClientAddressSettings settings() {
    return settings;
  }

  /**
   * @param peer         the TCP peer's address text, as the socket reports it
   * @param headerValues every occurrence of the client-chain header, in order
   */
  public String resolve(String peer, List<String> headerValues) {
    String client = IpLiterals.ofSocket(peer);
    AddressSet trusted = settings.trustedProxies();
    if (trusted.isEmpty() || headerValues.isEmpty() || !trusted.contains(client)) {
      return client;
    }
    int examined = 0;
    for (int v = headerValues.size() - 1; v >= 0; v--) {
      String value = headerValues.get(v);
      int end = value.length();
      while (true) {
        int comma = end == 0 ? -1 : value.lastIndexOf(',', end - 1);
        byte[] hop = ++examined > MAX_HOPS ? null : IpLiterals.parse(withoutPort(value.substring(comma + 1, end).trim()));
        if (hop == null) {
          // Not an address (or beyond any real chain): nothing left of it can be trusted, the last trusted hop is
          // as far as we can see.
          return client;
        }
        client = IpLiterals.format(hop);
        if (!trusted.contains(hop)) {
          return client;
        }
        if (comma < 0) {
          break;
        }
        end = comma;
      }
    }
    return client;
  }

  /**
   * {@code 1.2.3.4:5678} and {@code [::1]:80} appear in the wild; the port is not part of the client's identity.
   * Anything malformed ({@code [1.2.3.4]}, {@code [::1]x}, {@code 1.2.3.4:}, a non-numeric port) gives null.
   */
  static String withoutPort(String hop) {
    if (hop.startsWith("[")) {
      int end = hop.indexOf(']');
      int colon = hop.indexOf(':');
      if (end < 0 || colon < 0 || colon > end || !(end == hop.length() - 1 || isPort(hop, end + 1))) {
        return null;
      }
      return hop.substring(1, end);
    }
    int colon = hop.indexOf(':');
    if (colon >= 0 && hop.indexOf(':', colon + 1) < 0) {
      return isPort(hop, colon) ? hop.substring(0, colon) : null;
    }
    return hop;
  }

  /** Whether {@code s} from {@code colon} on is {@code :} and a port number. */
  private static boolean isPort(String s, int colon) {
    int digits = s.length() - colon - 1;
    if (s.charAt(colon) != ':' || digits < 1 || digits > 5) {
      return false;
    }
    for (int i = colon + 1; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return Integer.parseInt(s, colon + 1, s.length(), 10) <= 65535;
  }
}
