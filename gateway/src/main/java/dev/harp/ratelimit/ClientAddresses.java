package dev.harp.ratelimit;

import dev.harp.config.ProxyConfig;
import dev.harp.proxy.ProxyExchange;

import java.util.List;

/**
 * Who the client is. The TCP peer, unless the peer is a trusted proxy: then the client chain in its header is read
 * from the right (the hops nearest to us, written by proxies we trust) leftwards, and the first address that is not a
 * trusted proxy is the client. Hops further left were written by the client itself and prove nothing, so a client
 * can never pick its own key or dodge a ban by sending {@code X-Forwarded-For}.
 */
public final class ClientAddresses {

  /** Exchange attribute holding the resolved address, so bans and rate limits resolve it once. */
  public static final String ATTRIBUTE = "harp.clientAddress";

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

  /** Resolves (once per exchange) and records the client address on the exchange, for observers too. */
  public String of(ProxyExchange exchange) {
    Object known = exchange.attributes().get(ATTRIBUTE);
    if (known instanceof String s) {
      return s;
    }
    String peer = exchange.clientAddress();
    List<String> chain = settings.trustedProxies().isEmpty() ? List.of()
        : exchange.request().headers().getAll(settings.header());
    String client = resolve(peer, chain);
    exchange.attributes().put(ATTRIBUTE, client);
    exchange.clientAddress(client);
    return client;
  }

  /** @param headerValues every occurrence of the client-chain header, in order */
  public String resolve(String peer, List<String> headerValues) {
    AddressSet trusted = settings.trustedProxies();
    if (trusted.isEmpty() || headerValues.isEmpty()) {
      // The common case costs nothing: the socket's address is already in canonical form.
      return peer;
    }
    String canonicalPeer = canonical(peer);
    if (!trusted.contains(canonicalPeer)) {
      return canonicalPeer;
    }
    String chain = headerValues.size() == 1 ? headerValues.get(0) : String.join(",", headerValues);
    String[] hops = chain.split(",");
    String client = canonicalPeer;
    for (int i = hops.length - 1; i >= 0; i--) {
      byte[] hop = IpLiterals.parse(stripPort(hops[i].trim()));
      if (hop == null) {
        // Not an address: nothing left of it can be trusted, the last trusted hop is as far as we can see.
        return client;
      }
      client = IpLiterals.format(hop);
      if (!trusted.contains(hop)) {
        return client;
      }
    }
    return client;
  }

  private static String canonical(String address) {
    String n = IpLiterals.normalize(address);
    return n == null ? address : n;
  }

  /** {@code 1.2.3.4:5678} and {@code [::1]:80} appear in the wild; the port is not part of the client's identity. */
  static String stripPort(String hop) {
    if (hop.startsWith("[")) {
      int end = hop.indexOf(']');
      return end > 0 ? hop.substring(1, end) : hop;
    }
    int colon = hop.indexOf(':');
    if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
      return hop.substring(0, colon);
    }
    return hop;
  }
}
