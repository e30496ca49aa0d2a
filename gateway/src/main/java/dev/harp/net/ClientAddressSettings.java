package dev.harp.net;

/**
 * The {@code clientAddress:} block of a proxy: which peers are proxies we trust to tell us the client's address.
 *
 * @param trustedProxies peers whose {@code header} is believed (a load balancer, a CDN); empty: the TCP peer is the
 *                       client, whatever headers say
 * @param header         where trusted proxies put the client chain, {@code X-Forwarded-For} unless configured
 */
public record ClientAddressSettings(AddressSet trustedProxies, String header) {

  public static final String DEFAULT_HEADER = "X-Forwarded-For";
  public static final ClientAddressSettings DEFAULT = new ClientAddressSettings(AddressSet.NONE, DEFAULT_HEADER);
}
