package dev.harp.examples.hmac;

/**
 * @param keyId  tells the upstream which secret signed
 * @param secret the shared HMAC-SHA256 key
 * @param header the header carrying the signature
 */
public record HmacSettings(String keyId, String secret, String header) {
}
