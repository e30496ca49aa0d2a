package dev.harp.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13 item 5, written against the original API first: which cases does today's code get wrong? */
class AddressParsingOldApiTest {

  private static ClientAddresses trusting(String... blocks) {
    return new ClientAddresses(new ClientAddressSettings(
        new AddressSet(java.util.Arrays.stream(blocks).map(Cidr::parse).toList()), "X-Forwarded-For"));
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
    assertThat(c.resolve("10.0.0.2", List.of(chain))).isIn("10.0.0.7", "10.0.0.8", "10.0.0.2");
  }
}
