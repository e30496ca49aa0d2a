package dev.harp.audit.tlog;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/** The JDK's Ed25519, spoken in RFC 8032's 32-byte encodings (the JDK itself speaks EdECPoint and X.509/PKCS#8). */
final class Ed25519 {

  static final int KEY_SIZE = 32;
  static final int SIGNATURE_SIZE = 64;

  private Ed25519() {
  }

  static byte[] newSeed() {
    byte[] seed = new byte[KEY_SIZE];
    new SecureRandom().nextBytes(seed);
    return seed;
  }

  /**
   * The key pair of an RFC 8032 private key (its 32-byte seed). The JDK has no public call that derives the public
   * key from a private one; its generator does, from the 32 bytes it draws, so it is handed a source that yields the
   * seed. The private key it returns is checked to be that seed, so a generator that draws differently fails here
   * rather than signing with some other key.
   */
  static KeyPair fromSeed(byte[] seed) {
    if (seed.length != KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed is " + KEY_SIZE + " bytes, not " + seed.length);
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
      KeyPair pair = generator.generateKeyPair();
      byte[] drawn = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(new byte[0]);
      if (!Arrays.equals(drawn, seed)) {
        throw new IllegalStateException("this JDK's Ed25519 generator did not take the seed as the private key");
      }
      return pair;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every Java 15+ platform", e);
    }
  }

  /** RFC 8032 §5.1.3: y little-endian, with x's parity in the top bit of the last byte. */
  static PublicKey publicKey(byte[] encoded) throws ProofException {
    if (encoded.length != KEY_SIZE) {
      throw new ProofException("an Ed25519 public key is " + KEY_SIZE + " bytes, not " + encoded.length);
    }
    byte[] bigEndian = reversed(encoded);
    boolean xOdd = (bigEndian[0] & 0x80) != 0;
    bigEndian[0] &= 0x7f;
    EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    } catch (GeneralSecurityException e) {
      throw new ProofException("not an Ed25519 public key: " + e.getMessage());
    }
  }

  /** The inverse of {@link #publicKey}. */
  static byte[] encode(PublicKey key) {
    EdECPoint point = ((EdECPublicKey) key).getPoint();
    byte[] y = point.getY().toByteArray(); // big-endian, possibly with a leading sign byte
    byte[] bigEndian = new byte[KEY_SIZE];
    int length = Math.min(y.length, KEY_SIZE);
    System.arraycopy(y, y.length - length, bigEndian, KEY_SIZE - length, length);
    if (point.isXOdd()) {
      bigEndian[0] |= (byte) 0x80;
    }
    return reversed(bigEndian);
  }

  static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with an Ed25519 key of our own", e);
    }
  }

  /** False for any signature that does not verify, however malformed. */
  static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (signature.length != SIGNATURE_SIZE) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] reversed(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[bytes.length - 1 - i];
    }
    return out;
  }

  /** A random source that yields one fixed 32-byte draw: the seed {@link #fromSeed} wants as the private key. */
  private static final class FixedBytes extends SecureRandom {

    private final byte[] bytes;

    FixedBytes(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      if (out.length != bytes.length) {
        throw new IllegalStateException("expected a draw of " + bytes.length + " bytes, not " + out.length);
      }
      System.arraycopy(bytes, 0, out, 0, out.length);
    }
  }
}
