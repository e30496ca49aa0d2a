package dev.harp.cache;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Key normalisation (RFC 3986 §6.2.2) and Vary value normalisation (RFC 9111 §4.1), unit by unit. */
class CacheKeysTest {

  @Test
  void targetsAreNormalised() {
    assertThat(CacheKeys.primary("/a/./b/../c", null)).isEqualTo("/a/c");
    assertThat(CacheKeys.primary("/%7euser/%2f?q=%3a", null)).isEqualTo("/~user/%2F?q=%3A");
    assertThat(CacheKeys.primary("", null)).isEqualTo("/");
    assertThat(CacheKeys.primary("http://api.example:8080/x?y", null)).isEqualTo("/x?y");
    assertThat(CacheKeys.primary("/x?b=1&a=2", null)).as("query order is meaningful").isEqualTo("/x?b=1&a=2");
    assertThat(CacheKeys.primary("/x", "API.Example:80")).isEqualTo("/x api.example");
    assertThat(CacheKeys.targetOf("/x api.example")).isEqualTo("/x");
  }

  @Test
  void varyNamesAreLowerCasedDeduplicatedAndStarWins() {
    assertThat(CacheKeys.varyNames(List.of("Accept-Encoding, accept-encoding", "X-Tenant"))).containsExactly(
        "accept-encoding", "x-tenant");
    assertThat(CacheKeys.varyNames(List.of("Accept, *"))).containsExactly("*");
    assertThat(CacheKeys.varyNames(List.of())).isEmpty();
  }

  @Test
  void varyValuesAreNormalisedOnlyAsTheFieldAllows() {
    assertThat(CacheKeys.normaliseField("accept-encoding", List.of("GZIP ,  br"))).isEqualTo("br,gzip");
    assertThat(CacheKeys.normaliseField("accept", List.of("text/html ; q=0.9", "Application/JSON")))
        .isEqualTo("text/html;q=0.9,application/json");
    assertThat(CacheKeys.normaliseField("x-tenant", List.of("Acme"))).as("case kept for unknown fields")
        .isEqualTo("Acme");
    assertThat(CacheKeys.normaliseField("x-tenant", List.of())).isEqualTo(CacheKeys.ABSENT);
    assertThat(CacheKeys.normaliseField("x-tenant", List.of(""))).isEqualTo("").isNotEqualTo(CacheKeys.ABSENT);
  }

  @Test
  void cacheControlParsesQuotedListsAndConflicts() {
    CacheControl cc = CacheControl.parse(List.of("max-age=60, no-cache=\"Set-Cookie, X-Foo\"", "S-MAXAGE=\"30\""));
    assertThat(cc.seconds("max-age")).isEqualTo(60);
    assertThat(cc.seconds("s-maxage")).isEqualTo(30);
    assertThat(cc.fieldNames("no-cache")).containsExactly("set-cookie", "x-foo");
    assertThat(cc.unqualified("no-cache")).isFalse();
    assertThat(CacheControl.parse(List.of("max-age=1", "max-age=2")).seconds("max-age")).isZero();
    assertThat(CacheControl.parse(List.of("max-age=abc")).seconds("max-age")).isZero();
    assertThat(CacheControl.parse(List.of("max-age=99999999999")).seconds("max-age")).isEqualTo(2147483648L);
    assertThat(CacheControl.parse(List.of("max-stale")).secondsOrAny("max-stale")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void requestMatchingUsesTheStoredVaryValues() {
    MultiMap req = MultiMap.caseInsensitiveMultiMap().add("Accept-Encoding", "br, gzip");
    List<String> names = List.of("accept-encoding");
    StoredResponse r = new StoredResponse(200, List.of(), new byte[0], 0, 0, 0, 0, 0, false, false, List.of(), -1,
        -1, false, null, null, names, CacheKeys.varyValues(names, req));
    assertThat(CacheKeys.matches(r, MultiMap.caseInsensitiveMultiMap().add("accept-encoding", "gzip,br"))).isTrue();
    assertThat(CacheKeys.matches(r, MultiMap.caseInsensitiveMultiMap())).isFalse();
  }
}
