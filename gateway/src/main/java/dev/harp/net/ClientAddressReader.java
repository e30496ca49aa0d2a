package dev.harp.net;

import dev.harp.config.ConfigNode;
import dev.harp.config.ProxyBlockReader;

import java.util.Set;
import java.util.regex.Pattern;

/** Reads a proxy's {@code clientAddress:} block (shared by rate limits and bans). */
public final class ClientAddressReader implements ProxyBlockReader<ClientAddressSettings> {

  public static final String KEY = "clientAddress";
  public static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  @Override
  public String key() {
    return KEY;
  }

  @Override
  public ClientAddressSettings read(ConfigNode block) {
    block.allowOnly(Set.of("trustedProxies", "header"));
    AddressSet trusted = AddressSet.read(block, "trustedProxies");
    String header = block.string("header", ClientAddressSettings.DEFAULT_HEADER);
    if (!TOKEN.matcher(header).matches()) {
      block.problem("header", "'" + header + "' is not a header name");
      header = ClientAddressSettings.DEFAULT_HEADER;
    }
    return new ClientAddressSettings(trusted, header);
  }
}
