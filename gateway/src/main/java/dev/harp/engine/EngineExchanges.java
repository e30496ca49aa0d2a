package dev.harp.engine;

import dev.harp.spi.Exchange;

/**
 * The engine's exchange behind an SPI {@link Exchange}, for filters built into HARP that need what the SPI does not
 * offer (the request and response bodies, the client's status). Plugins stay on the SPI.
 */
public final class EngineExchanges {

  private EngineExchanges() {
  }

  /**
   * @param exchange an exchange a filter was given
   * @return the engine's exchange behind it, or null when it is not one of HARP's (a test double)
   */
  public static ProxyExchange unwrap(Exchange exchange) {
    return exchange instanceof ExchangeView view ? view.exchange() : null;
  }
}
