package dev.harp.examples.hmac;

import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code hmac: {keyId: k1, secret: ${env:HMAC_SECRET}, header: X-Signature}} under a proxy: every request HARP sends
 * to that proxy's upstream carries {@code X-Signature-Date} and {@code X-Signature: keyId=..., signature=<base64>}.
 */
public final class HmacSigningFactory implements FilterFactory<HmacSettings> {

  @Override
  public String name() {
    return "hmac";
  }

  /** Last before the upstream: a cache hit or a refused request is never signed, and nothing edits it after. */
  @Override
  public Placement placement() {
    return Placement.after("cache");
  }

  @Override
  public HmacSettings read(ConfigBlock block) {
    block.allowOnly(Set.of("keyId", "secret", "header"));
    String keyId = block.requiredString("keyId");
    String secret = block.requiredString("secret");
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      block.problem("secret", "must be at least 32 bytes (a shorter HMAC-SHA256 key is guessable)");
    }
    return new HmacSettings(keyId, secret, block.string("header", "X-Signature"));
  }

  @Override
  public Filter create(HmacSettings settings, FilterContext context) {
    return new HmacSigningFilter(settings, context.counter("hmac_signed"));
  }
}
