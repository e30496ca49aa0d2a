package dev.harp.http;

import dev.harp.http.CanonicalPath.Ok;
import dev.harp.http.CanonicalPath.Refused;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The canonical path every feature's path rules match (moved from AuthPathTest with the class). */
class CanonicalPathTest {

  @Test
  void canonicalFormsAndRefusals() {
    assertThat(CanonicalPath.of("//Admin./x;jsessionid=9//y/")).isEqualTo(new Ok("/admin/x/y"));
    assertThat(CanonicalPath.of("/%61dmin%20")).isEqualTo(new Ok("/admin"));
    assertThat(CanonicalPath.of("/")).isEqualTo(new Ok("/"));
    assertThat(CanonicalPath.of("/caf%C3%A9")).isEqualTo(new Ok("/café"));
    for (String refused : List.of("/a/../b", "/a/%2e%2E/b", "/a/..;/b", "/a%2Fb", "/a%5Cb", "/a\\b", "/a/%252e",
        "/a/%00", "/a/%zz", "/a/.", "/a/...", "/a/%", "/a/%2")) {
      assertThat(CanonicalPath.of(refused)).as(refused).isInstanceOf(Refused.class);
    }
  }

  @Test
  void patternsMatchSegmentsCaseInsensitively() {
    PathPattern admin = PathPattern.compile("/Admin/**");
    assertThat(admin.matches("/admin")).isTrue();
    assertThat(admin.matches("/admin/a/b")).isTrue();
    assertThat(admin.matches("/administrator")).isFalse();
    PathPattern one = PathPattern.compile("/api/*/public");
    assertThat(one.matches("/api/v1/public")).isTrue();
    assertThat(one.matches("/api/public")).isFalse();
    assertThat(PathPattern.compile("/**").matches("/")).isTrue();
  }

  @Test
  void rateLimitRoutesArePrefixesOfTheCanonicalPath() {
    var login = new dev.harp.ratelimit.RouteMatch("/Login", java.util.Set.of());
    assertThat(login.matches("GET", "/login")).isTrue();
    assertThat(login.matches("GET", "/login/x")).isTrue();
    assertThat(login.matches("GET", "/loginx")).isFalse();
    assertThat(new dev.harp.ratelimit.RouteMatch("/api/", java.util.Set.of("POST")).matches("POST", "/api")).isTrue();
    assertThat(new dev.harp.ratelimit.RouteMatch("/", java.util.Set.of("POST")).matches("GET", "/")).isFalse();
  }
}
