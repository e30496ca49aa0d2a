package dev.harp.examples.hmac;

import dev.harp.spi.Exchange;
import dev.harp.spi.Filter;
import dev.harp.spi.Next;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

/**
 * Signs {@code METHOD \n request-target \n date \n request-id} with HMAC-SHA256. The request target is the
 * client's, as HARP forwards it (an endpoint's base path is the upstream's own business); the date bounds replays (the upstream checks it is recent); the request id ties the signature
 * to HARP's logs. Bodies are not signed: a body digest would need the whole body before the first byte goes out.
 */
final class HmacSigningFilter implements Filter {

  static final String DATE_HEADER = "X-Signature-Date";

  private final HmacSettings settings;
  private final SecretKeySpec key;
  private final Runnable signed;

  HmacSigningFilter(HmacSettings settings, Runnable signed) {
    this.settings = settings;
    this.key = new SecretKeySpec(settings.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.signed = signed;
  }

  @Override
  public void onRequest(Exchange exchange, Next next) {
    String date = Instant.now().toString();
    String toSign = exchange.method().name() + "\n" + exchange.uri() + "\n" + date + "\n" + exchange.requestId();
    String signature = sign(toSign);
    exchange.editUpstreamHeaders(headers -> headers
        .set(DATE_HEADER, date)
        .set(settings.header(), "keyId=" + settings.keyId() + ", signature=" + signature));
    signed.run();
    next.proceed();
  }

  private String sign(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256"); // not thread-safe, and cheap to get: one per request
      mac.init(key);
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
