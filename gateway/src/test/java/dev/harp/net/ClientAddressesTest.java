package dev.harp.net;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** X-Forwarded-For is believed only from trusted proxies, and only as far as trusted proxies wrote it. */
class ClientAddressesTest {

  private static ClientAddresses trusting(String... blocks) {
    return new ClientAddresses(new ClientAddressSettings(
        new AddressSet(java.util.Arrays.stream(blocks).map(Cidr::parse).toList()), "X-Forwarded-For"));
  }

  @Test
  void withoutTrustedProxiesThePeerIsTheClientWhateverHeadersSay() {
    ClientAddresses none = new ClientAddresses(ClientAddressSettings.DEFAULT);
    assertThat(none.resolve("203.0.113.9", List.of("1.1.1.1"))).isEqualTo("203.0.113.9");
  }

  @Test
  void anUntrustedPeerCannotChooseItsAddress() {
    assertThat(trusting("10.0.0.0/8").resolve("203.0.113.9", List.of("10.0.0.1, 1.1.1.1")))
        .isEqualTo("203.0.113.9");
  }

  @Test
  void theChainIsReadFromTheRightUpToTheFirstUntrustedHop() {
    ClientAddresses c = trusting("10.0.0.0/8", "192.0.2.0/24");
    // The client claims to be 6.6.6.6; the CDN (192.0.2.7) saw 198.51.100.4; our LB (10.0.0.2) saw the CDN.
    assertThat(c.resolve("10.0.0.2", List.of("6.6.6.6, 198.51.100.4", "192.0.2.7"))).isEqualTo("198.51.100.4");
    assertThat(c.resolve("10.0.0.2", List.of("198.51.100.4:51234"))).isEqualTo("198.51.100.4");
    assertThat(c.resolve("10.0.0.2", List.of("[2001:db8::1]:443"))).isEqualTo("2001:db8:0:0:0:0:0:1");
  }

  @Test
  void garbageStopsTheWalkAtTheLastTrustedHop() {
    ClientAddresses c = trusting("10.0.0.0/8");
    assertThat(c.resolve("10.0.0.2", List.of("unknown"))).isEqualTo("10.0.0.2");
    assertThat(c.resolve("10.0.0.2", List.of("1.2.3.4, evil.example, 10.0.0.9"))).isEqualTo("10.0.0.9");
    assertThat(c.resolve("10.0.0.2", List.of())).isEqualTo("10.0.0.2");
  }

  @Test
  void literalsAreNormalisedAndNeverLookedUp() {
    assertThat(IpLiterals.normalize("::ffff:10.1.2.3")).isEqualTo("10.1.2.3");
    assertThat(IpLiterals.normalize("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(IpLiterals.parse("localhost")).isNull();
    assertThat(IpLiterals.parse("256.1.1.1")).isNull();
    assertThat(IpLiterals.parse("fe80::1%eth0")).as("no zone ids").isNull();
    assertThat(Cidr.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
    assertThat(Cidr.parse("2001:db8::/32").contains(IpLiterals.parse("2001:db8:ffff::1"))).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").contains(IpLiterals.parse("::1"))).as("families never mix").isFalse();
  }
}
