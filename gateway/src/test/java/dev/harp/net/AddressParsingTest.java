package dev.harp.net;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one address parser (issue 13, item 5). Written first against the original {@code dev.harp.ratelimit} classes
 * (then named AddressParsingOldApiTest): there, leading zeros, the mapped peer, the mapped block, five malformed hops
 * and the overlong chain failed; the other invalid literals, the quoted hop and the empty element already passed.
 */
class AddressParsingTest {

  private static ClientAddresses trusting(String... blocks) {
    return new ClientAddresses(new ClientAddressSettings(
        new AddressSet(java.util.Arrays.stream(blocks).map(Cidr::parse).toList()), "X-Forwarded-For"));
  }

  @Test
  void validLiteralsAndTheirCanonicalText() {
    assertThat(IpLiterals.normalize("10.0.0.1")).isEqualTo("10.0.0.1");
    assertThat(IpLiterals.normalize("0.0.0.0")).isEqualTo("0.0.0.0");
    assertThat(IpLiterals.normalize("255.255.255.255")).isEqualTo("255.255.255.255");
    assertThat(IpLiterals.normalize("::")).isEqualTo("0:0:0:0:0:0:0:0");
    assertThat(IpLiterals.normalize("::1")).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(IpLiterals.normalize("2001:DB8::1")).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(IpLiterals.normalize("2001:db8:0000:0:0:0:0:00ff")).isEqualTo("2001:db8:0:0:0:0:0:ff");
    assertThat(IpLiterals.normalize("fe80::")).isEqualTo("fe80:0:0:0:0:0:0:0");
    assertThat(IpLiterals.normalize("1:2:3:4:5:6:7::")).isEqualTo("1:2:3:4:5:6:7:0");
    assertThat(IpLiterals.normalize("::2:3:4:5:6:7:8")).isEqualTo("0:2:3:4:5:6:7:8");
    assertThat(IpLiterals.normalize("64:ff9b::192.0.2.33")).isEqualTo("64:ff9b:0:0:0:0:c000:221");
    assertThat(IpLiterals.normalize("0:0:0:0:0:ffff:10.0.0.1")).isEqualTo("10.0.0.1");
    assertThat(IpLiterals.normalize("::ffff:a00:1")).isEqualTo("10.0.0.1");
  }

  @Test
  void zoneIdsAreRefusedInTextButStrippedFromOurOwnSocketsAddress() {
    assertThat(IpLiterals.parse("fe80::1%eth0")).isNull();
    assertThat(Cidr.parse("fe80::/10").contains(IpLiterals.parse("fe80::1"))).isTrue();
    assertThat(IpLiterals.ofSocket("fe80:0:0:0:0:0:0:1%eth0")).isEqualTo("fe80:0:0:0:0:0:0:1");
    assertThat(IpLiterals.ofSocket("::ffff:10.0.0.1")).isEqualTo("10.0.0.1");
    assertThat(IpLiterals.ofSocket("10.0.0.1")).isEqualTo("10.0.0.1");
    assertThat(IpLiterals.ofSocket("unknown")).as("never looked up").isEqualTo("unknown");
  }

  @Test
  void blocks() {
    Cidr net = Cidr.parse("10.1.0.0/16");
    assertThat(net.contains(IpLiterals.parse("10.1.200.3"))).isTrue();
    assertThat(net.contains(IpLiterals.parse("10.2.0.1"))).isFalse();
    assertThat(net.contains(IpLiterals.parse("::1"))).isFalse();
    assertThat(Cidr.parse("::1").contains(IpLiterals.parse("::1"))).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").contains(IpLiterals.parse("203.0.113.9"))).isTrue();
    assertThat(Cidr.parse("::/0").contains(IpLiterals.parse("10.0.0.1"))).as("IPv4 is not in ::/0").isFalse();
    for (String bad : List.of("10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/08", "::1/129",
        "::ffff:10.0.0.0/95", "example.com/8", "01.0.0.0/8", "fe80::%eth0/64")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cidr.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(AddressSet.of(List.of("10.0.0.0/8", "fd00::/8")).contains("::ffff:10.9.9.9")).isTrue();
    assertThat(AddressSet.of(List.of("10.0.0.0/8")).contains("evil.example")).isFalse();
  }

  @Test
  void leadingZerosAreAmbiguousOctal() {
    assertThat(IpLiterals.parse("01.2.3.4")).isNull();
  }

  @Test
  void invalidLiterals() {
    org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
    for (String s : List.of("1.2.3", "256.1.1.1", "1.2.3.4.5", "localhost", "example.com", "", " 1.2.3.4",
        "1::2::3", "12345::", "::ffff:1.2.3", "1:2:3:4:5:6:7:8:9", "[::1]", "fe80::1%eth0", "1.2.3.-4", "0x7f.0.0.1")) {
      soft.assertThat(IpLiterals.parse(s)).as(s).isNull();
    }
    soft.assertAll();
  }

  @Test
  void mappedIpv4IsIpv4() {
    assertThat(IpLiterals.normalize("::ffff:10.0.0.1")).isEqualTo("10.0.0.1");
    assertThat(Cidr.parse("10.0.0.0/8").contains(IpLiterals.parse("::ffff:10.0.0.1"))).isTrue();
    assertThat(Cidr.parse("::ffff:10.0.0.0/104")).isEqualTo(Cidr.parse("10.0.0.0/8"));
  }

  @Test
  void thePeerIsReportedInItsIpv4Form() {
    assertThat(new ClientAddresses(ClientAddressSettings.DEFAULT).resolve("::ffff:10.0.0.1", List.of()))
        .isEqualTo("10.0.0.1");
  }

  @Test
  void malformedHopsStopTheWalk() {
    ClientAddresses c = trusting("10.0.0.0/8");
    org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
    soft.assertThat(c.resolve("10.0.0.2", List.of("6.6.6.6,"))).as("trailing empty element").isEqualTo("10.0.0.2");
    soft.assertThat(c.resolve("10.0.0.2", List.of("6.6.6.6:abc"))).as("bad port").isEqualTo("10.0.0.2");
    soft.assertThat(c.resolve("10.0.0.2", List.of("6.6.6.6:"))).as("empty port").isEqualTo("10.0.0.2");
    soft.assertThat(c.resolve("10.0.0.2", List.of("[6.6.6.6]"))).as("bracketed IPv4").isEqualTo("10.0.0.2");
    soft.assertThat(c.resolve("10.0.0.2", List.of("[::6]junk"))).as("junk after bracket").isEqualTo("10.0.0.2");
    soft.assertThat(c.resolve("10.0.0.2", List.of("\"6.6.6.6\""))).as("quoted").isEqualTo("10.0.0.2");
    soft.assertThat(c.resolve("10.0.0.2", List.of("06.6.6.6"))).as("leading zero").isEqualTo("10.0.0.2");
    soft.assertThat(c.resolve("10.0.0.2", List.of("6.6.6.6,,10.0.0.9"))).as("empty element").isEqualTo("10.0.0.9");
    soft.assertThat(c.resolve("10.0.0.2", List.of("[2001:db8::1]:443"))).isEqualTo("2001:db8:0:0:0:0:0:1");
    soft.assertAll();
  }

  @Test
  void anOverlongChainIsReadOnlyAsFarAsTheCap() {
    ClientAddresses c = trusting("10.0.0.0/8");
    String chain = "6.6.6.6, " + "10.0.0.7, ".repeat(100) + "10.0.0.8";
    assertThat(c.resolve("10.0.0.2", List.of(chain))).as("the 32nd hop from the right is as far as HARP reads").isEqualTo("10.0.0.7");
  }
}
