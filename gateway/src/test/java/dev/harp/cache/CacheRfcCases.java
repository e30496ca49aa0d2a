package dev.harp.cache;

import dev.harp.cache.Rfc.Case;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;

import java.util.List;

import static dev.harp.cache.CacheRfcSuiteTest.etagged;
import static dev.harp.cache.CacheRfcSuiteTest.failingFrom;
import static dev.harp.cache.CacheRfcSuiteTest.ok;
import static dev.harp.cache.CacheRfcSuiteTest.seq;
import static dev.harp.cache.Origin.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cases of {@link CacheRfcSuiteTest}, grouped as RFC 9111 is. Each title cites what it checks. */
final class CacheRfcCases {

  private static final String CC = "Cache-Control";
  private static final long HOUR = 3600;

  private CacheRfcCases() {
  }

  private static Case c(String title, java.util.function.Consumer<Rfc> body) {
    return new Case(title, body);
  }

  static List<Case> storing() {
    return List.of(
        c("RFC 9111 §3: a 200 with max-age is stored, and the next GET is a hit", r -> {
          r.origin("/a", ok("hello", CC, "max-age=60"));
          r.get("/a").status(200).fwd("uri-miss").stored().body("hello");
          r.get("/a").status(200).hit().body("hello").age(0);
          r.calls("/a", 1);
        }),
        c("RFC 9111 §5.2.2.5: a no-store response is not stored", r -> {
          r.origin("/a", ok("x", CC, "no-store, max-age=60"));
          r.get("/a").notStored("no-store");
          r.get("/a").fwd("uri-miss");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.2.2.7: a private response is not stored by a shared cache", r -> {
          r.origin("/a", ok("x", CC, "private, max-age=60"));
          r.get("/a").notStored("private");
          r.get("/a").fwd("uri-miss");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.2.2.7: private=\"field\" is stored without that field", r -> {
          r.origin("/a", ok("x", CC, "max-age=60, private=\"X-User\"", "X-User", "alice"));
          r.get("/a").stored().header("X-User", "alice");
          r.get("/a").hit().noHeader("X-User");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §5.2.1.5: a request's no-store keeps its response out of the cache", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.get("/a", CC, "no-store").notStored("request-no-store");
          r.get("/a").fwd("uri-miss").stored();
          r.calls("/a", 2);
        }),
        c("RFC 9111 §3.5: a response to a request with Authorization is not stored by default", r -> {
          r.origin("/a", ok("secret", CC, "max-age=60"));
          r.get("/a", "Authorization", "Bearer t").notStored("authorization");
          r.get("/a", "Authorization", "Bearer t").fwd("uri-miss");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §3.5: Authorization with public: stored and reused", r -> {
          r.origin("/a", ok("shared", CC, "public, max-age=60"));
          r.get("/a", "Authorization", "Bearer t").stored();
          r.get("/a", "Authorization", "Bearer u").hit().body("shared");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §3.5: Authorization with s-maxage: stored", r -> {
          r.origin("/a", ok("shared", CC, "s-maxage=60"));
          r.get("/a", "Authorization", "Bearer t").stored();
          r.get("/a", "Authorization", "Bearer t").hit();
          r.calls("/a", 1);
        }),
        c("RFC 9111 §3.5: Authorization with must-revalidate: stored", r -> {
          r.origin("/a", ok("shared", CC, "max-age=60, must-revalidate"));
          r.get("/a", "Authorization", "Bearer t").stored();
          r.get("/a", "Authorization", "Bearer t").hit();
          r.calls("/a", 1);
        }),
        c("RFC 9111 §3: a status not cacheable by default (302) without explicit freshness is not stored", r -> {
          r.origin("/a", reply(302, "", "Location", "/elsewhere", "Last-Modified", Rfc.date(r.now() - 100 * HOUR * 1000)));
          r.get("/a").status(302).notStored("status");
          r.get("/a").status(302).fwd("uri-miss");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.2.2 + RFC 9110 §15.1: a 404 is heuristically cacheable", r -> {
          r.origin("/a", reply(404, "gone", "Last-Modified", Rfc.date(r.now() - 100 * HOUR * 1000)));
          r.get("/a").status(404).stored();
          r.get("/a").status(404).hit().body("gone");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §3: a POST response is not stored", r -> {
          r.origin("/a", ok("posted", CC, "max-age=60"));
          r.send("api", "POST", "/a").status(200).fwd("method");
          r.get("/a").fwd("uri-miss");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §3.1: hop-by-hop and Connection-listed fields are not stored", r -> {
          r.origin("/a", ok("x", CC, "max-age=60", "Keep-Alive", "timeout=5", "X-Hop", "1", "Connection", "X-Hop"));
          r.get("/a").stored();
          r.get("/a").hit().noHeader("Keep-Alive").noHeader("X-Hop");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §5.2.2.3: must-understand with an understood status is stored despite no-store", r -> {
          r.origin("/a", ok("x", CC, "max-age=60, no-store, must-understand"));
          r.get("/a").stored();
          r.get("/a").hit();
          r.calls("/a", 1);
        }),
        c("RFC 9111 §3 (a cache may decline): a body over maxObjectSize streams through, not stored", r -> {
          String big = "y".repeat(100);
          r.origin("/a", ok(big, CC, "max-age=60"));
          r.send("small", "GET", "/a").body(big).notStored("too-large");
          r.send("small", "GET", "/a").body(big).fwd("uri-miss");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §3: a chunked body within maxObjectSize is stored", r -> {
          r.origin("/a", ok("chunked-body", CC, "max-age=60", "Transfer-Encoding", "chunked"));
          r.send("small", "GET", "/a").body("chunked-body").fwd("uri-miss");
          r.send("small", "GET", "/a").hit().body("chunked-body");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §3: a chunked body beyond maxObjectSize is not stored", r -> {
          String big = "z".repeat(100);
          r.origin("/a", ok(big, CC, "max-age=60", "Transfer-Encoding", "chunked"));
          r.send("small", "GET", "/a").body(big);
          r.send("small", "GET", "/a").body(big).fwd("uri-miss");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §3 (a cache may decline): responses setting cookies are not stored by default", r -> {
          r.origin("/a", ok("x", CC, "max-age=60", "Set-Cookie", "session=abc"));
          r.get("/a").notStored("set-cookie");
          r.get("/a").fwd("uri-miss");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §3.3: an incomplete response is not stored", r -> {
          r.origin("/a", seq(ok("0123456789", CC, "max-age=60").aborting(), ok("0123456789", CC, "max-age=60")));
          assertThatThrownBy(() -> r.get("/a")).as("the client sees the broken body").isNotNull();
          r.awaitCacheWrites();
          r.get("/a").fwd("uri-miss").body("0123456789");
          r.calls("/a", 2);
        }));
  }

  static List<Case> freshness() {
    return List.of(
        c("RFC 9111 §4.2.1: max-age=60 is fresh at 59 s and stale at 61 s", r -> {
          r.origin("/a", etagged("\"v1\"", "x", "max-age=60"));
          r.get("/a").stored();
          r.advance(59).get("/a").hit().age(59);
          r.advance(2).get("/a").fwd("stale").cacheStatusHas("fwd-status=304");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.2.1: s-maxage overrides max-age in a shared cache", r -> {
          r.origin("/a", ok("x", CC, "max-age=600, s-maxage=10"));
          r.get("/a");
          r.advance(11).get("/a").fwd("stale");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.3: Expires minus Date is the freshness lifetime", r -> {
          r.origin("/a", (req, n) -> ok("x", "Expires", Rfc.date(r.now() + 30_000)));
          r.get("/a").stored();
          r.advance(20).get("/a").hit();
          r.advance(11).get("/a").fwd("stale");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.3: an invalid Expires (\"0\") means already expired", r -> {
          r.origin("/a", ok("x", "Expires", "0", "ETag", "\"e\""));
          r.get("/a");
          r.get("/a").fwd("stale");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.2.1: max-age takes precedence over Expires", r -> {
          r.origin("/a", (req, n) -> ok("x", CC, "max-age=100", "Expires", Rfc.date(r.now() - 10_000)));
          r.get("/a");
          r.advance(50).get("/a").hit();
          r.calls("/a", 1);
        }),
        c("RFC 9111 §4.2.1: conflicting max-age directives make the response stale", r -> {
          r.origin("/a", ok("x", CC, "max-age=60", CC, "max-age=120", "ETag", "\"d\""));
          r.get("/a");
          r.get("/a").fwd("stale");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.2.2: heuristic freshness is 10% of the time since Last-Modified", r -> {
          r.origin("/a", (req, n) -> ok("x", "Last-Modified", Rfc.date(r.now() - 100 * HOUR * 1000)));
          r.get("/a").stored();
          r.advance(9 * HOUR).get("/a").hit();
          r.advance(2 * HOUR).get("/a").fwd("stale");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.2.2: heuristic freshness is capped (heuristicMax, 1 day)", r -> {
          r.origin("/a", (req, n) -> ok("x", "Last-Modified", Rfc.date(r.now() - 100 * 24 * HOUR * 1000)));
          r.get("/a");
          r.advance(23 * HOUR).get("/a").hit();
          r.advance(2 * HOUR).get("/a").fwd("stale");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.2.3 / §5.1: a hit carries its current Age", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.get("/a");
          r.advance(10).get("/a").hit().age(10).cacheStatusHas("ttl=50");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §4.2.3: the upstream's Age counts towards the current age", r -> {
          r.origin("/a", ok("x", CC, "max-age=10", "Age", "5"));
          r.get("/a");
          r.get("/a").hit().age(5);
          r.advance(6).get("/a").fwd("stale");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.2.3: a Date in the past (apparent age) counts towards the current age", r -> {
          r.origin("/a", (req, n) -> ok("x", CC, "max-age=30", "Date", Rfc.date(r.now() - 20_000)));
          r.get("/a");
          r.get("/a").hit().age(20);
          r.advance(11).get("/a").fwd("stale");
          r.calls("/a", 2);
        }));
  }

  static List<Case> requestDirectives() {
    return List.of(
        c("RFC 9111 §5.2.1.1: a request's max-age=0 forces validation", r -> {
          r.origin("/a", etagged("\"v1\"", "x", "max-age=60"));
          r.get("/a");
          r.get("/a", CC, "max-age=0").status(200).fwd("request").cacheStatusHas("fwd-status=304").body("x");
          assertThat(r.seen("/a", 2).get("if-none-match")).isEqualTo("\"v1\"");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.2.1.1: max-age=20 accepts a response 10 s old", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.get("/a");
          r.advance(10).get("/a", CC, "max-age=20").hit();
          r.calls("/a", 1);
        }),
        c("RFC 9111 §5.2.1.1: max-age=5 rejects a response 10 s old", r -> {
          r.origin("/a", etagged("\"v1\"", "x", "max-age=60"));
          r.get("/a");
          r.advance(10).get("/a", CC, "max-age=5").fwd("request");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.2.1.2: max-stale=100 accepts a response 10 s stale", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.get("/a");
          r.advance(70).get("/a", CC, "max-stale=100").hit().cacheStatusHas("ttl=-10")
              .cacheStatusHas("detail=max-stale");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §5.2.1.2: max-stale without a value accepts any staleness", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.get("/a");
          r.advance(5000).get("/a", CC, "max-stale").hit();
          r.calls("/a", 1);
        }),
        c("RFC 9111 §5.2.1.2: max-stale=5 does not accept a response 10 s stale", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.get("/a");
          r.advance(70).get("/a", CC, "max-stale=5").fwd("stale");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.2.1.2 + §5.2.2.2: max-stale cannot override must-revalidate", r -> {
          r.origin("/a", ok("x", CC, "max-age=60, must-revalidate"));
          r.get("/a");
          r.advance(70).get("/a", CC, "max-stale").fwd("stale");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.2.1.3: min-fresh=30 rejects a response with 20 s left", r -> {
          r.origin("/a", etagged("\"v1\"", "x", "max-age=60"));
          r.get("/a");
          r.advance(40).get("/a", CC, "min-fresh=30").fwd("request");
          r.advance(0).get("/a", CC, "min-fresh=10").hit();
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.2.1.4: a request's no-cache validates; the 304 is answered with the stored body", r -> {
          r.origin("/a", etagged("\"v1\"", "body1", "max-age=60"));
          r.get("/a");
          r.get("/a", CC, "no-cache").status(200).body("body1").fwd("request").cacheStatusHas("fwd-status=304");
          assertThat(r.seen("/a", 2).get("if-none-match")).isEqualTo("\"v1\"");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.4: Pragma: no-cache on an HTTP/1.0 request without Cache-Control validates", r -> {
          r.origin("/a", etagged("\"v1\"", "x", "max-age=60"));
          r.get("/a");
          r.send("api", "GET", "/a", HttpVersion.HTTP_1_0, "Pragma", "no-cache").status(200).fwd("request");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.4: Pragma is ignored when Cache-Control is present", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.get("/a");
          r.get("/a", "Pragma", "no-cache", CC, "no-transform").hit();
          r.calls("/a", 1);
        }),
        c("RFC 9111 §5.2.1.7: only-if-cached is answered from a fresh stored response", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.get("/a");
          r.get("/a", CC, "only-if-cached").hit().body("x");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §5.2.1.7: only-if-cached with nothing stored is a 504, upstream untouched", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.get("/a", CC, "only-if-cached").status(504);
          r.calls("/a", 0);
        }),
        c("RFC 9111 §5.2.1.7: only-if-cached with only a stale response is a 504", r -> {
          r.origin("/a", ok("x", CC, "max-age=10"));
          r.get("/a");
          r.advance(20).get("/a", CC, "only-if-cached").status(504);
          r.calls("/a", 1);
        }));
  }

  static List<Case> responseDirectives() {
    return List.of(
        c("RFC 9111 §5.2.2.4: a no-cache response is stored and validated on every use", r -> {
          r.origin("/a", etagged("\"n\"", "body", "no-cache"));
          r.get("/a").stored();
          r.get("/a").status(200).body("body").fwd("stale").cacheStatusHas("fwd-status=304");
          r.get("/a").status(200).body("body").fwd("stale");
          r.calls("/a", 3);
        }),
        c("RFC 9111 §5.2.2.4: no-cache=\"field\": reused without validation, minus that field", r -> {
          r.origin("/a", ok("x", CC, "max-age=60, no-cache=\"X-Secret\"", "X-Secret", "s1"));
          r.get("/a").header("X-Secret", "s1");
          r.get("/a").hit().noHeader("X-Secret");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §5.2.2.2: must-revalidate: no stale copy when the upstream fails (even with staleIfError)", r -> {
          r.origin("/a", failingFrom(2, (req, n) -> ok("x", CC, "max-age=10, must-revalidate")));
          r.send("swr", "GET", "/a");
          r.advance(40).send("swr", "GET", "/a").status(502);
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.2.2.8: proxy-revalidate binds a shared cache like must-revalidate", r -> {
          r.origin("/a", failingFrom(2, (req, n) -> ok("x", CC, "max-age=10, proxy-revalidate")));
          r.send("swr", "GET", "/a");
          r.advance(40).send("swr", "GET", "/a").status(502);
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.2.2.10: s-maxage implies proxy-revalidate", r -> {
          r.origin("/a", failingFrom(2, (req, n) -> ok("x", CC, "s-maxage=10")));
          r.send("swr", "GET", "/a");
          r.advance(40).send("swr", "GET", "/a").status(502);
          r.calls("/a", 2);
        }),
        c("RFC 9111 §5.2.2.9: public lets a non-default status use heuristic freshness", r -> {
          r.origin("/a", (req, n) -> reply(302, "", "Location", "/x", CC, "public",
              "Last-Modified", Rfc.date(r.now() - 100 * HOUR * 1000)));
          r.get("/a").status(302).stored();
          r.get("/a").status(302).hit();
          r.calls("/a", 1);
        }),
        c("RFC 8246 §2: immutable: a reload (max-age=0) is answered from the fresh response", r -> {
          r.origin("/a", ok("x", CC, "max-age=600, immutable"));
          r.get("/a");
          r.get("/a", CC, "max-age=0").hit();
          r.calls("/a", 1);
        }),
        c("RFC 8246 §2: immutable does not stop an explicit no-cache", r -> {
          r.origin("/a", ok("x", CC, "max-age=600, immutable"));
          r.get("/a");
          r.get("/a", CC, "no-cache").fwd("request");
          r.calls("/a", 2);
        }));
  }

  static List<Case> vary() {
    return List.of(
        c("RFC 9111 §4.1: Vary selects the stored response by the request's field", r -> {
          r.origin("/a", (req, n) -> ok("enc:" + req.getHeader("accept-encoding"), CC, "max-age=60",
              "Vary", "Accept-Encoding"));
          r.get("/a", "Accept-Encoding", "gzip").stored().body("enc:gzip");
          r.get("/a", "Accept-Encoding", "identity").fwd("vary-miss").body("enc:identity");
          r.get("/a", "Accept-Encoding", "gzip").hit().body("enc:gzip");
          r.get("/a", "Accept-Encoding", "identity").hit().body("enc:identity");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.1: whitespace and member order of Accept-Encoding are normalised", r -> {
          r.origin("/a", ok("x", CC, "max-age=60", "Vary", "Accept-Encoding"));
          r.get("/a", "Accept-Encoding", "gzip, br");
          r.get("/a", "Accept-Encoding", "br,gzip").hit();
          r.calls("/a", 1);
        }),
        c("RFC 9111 §4.1: the case of Accept-Encoding values is normalised", r -> {
          r.origin("/a", ok("x", CC, "max-age=60", "Vary", "accept-encoding"));
          r.get("/a", "Accept-Encoding", "GZIP");
          r.get("/a", "Accept-Encoding", "gzip").hit();
          r.calls("/a", 1);
        }),
        c("RFC 9111 §4.1: Vary: * never matches, so it is not stored", r -> {
          r.origin("/a", ok("x", CC, "max-age=60", "Vary", "*"));
          r.get("/a").notStored("vary-star");
          r.get("/a").fwd("uri-miss");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.1: a field absent from the request differs from a present one", r -> {
          r.origin("/a", ok("x", CC, "max-age=60", "Vary", "X-Tenant"));
          r.get("/a").stored();
          r.get("/a", "X-Tenant", "a").fwd("vary-miss");
          r.get("/a").hit();
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.1: several field lines are combined before matching", r -> {
          r.origin("/a", ok("x", CC, "max-age=60", "Vary", "Accept-Language"));
          r.get("/a", "Accept-Language", "en", "Accept-Language", "fr");
          r.get("/a", "Accept-Language", "en, fr").hit();
          r.calls("/a", 1);
        }),
        c("RFC 9111 §4.1: values that differ beyond normalisation do not match", r -> {
          r.origin("/a", ok("x", CC, "max-age=60", "Vary", "X-Tenant"));
          r.get("/a", "X-Tenant", "Acme");
          r.get("/a", "X-Tenant", "acme").fwd("vary-miss");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.1: a request matching no variant keeps the others", r -> {
          r.origin("/a", (req, n) -> ok("t:" + req.getHeader("x-tenant"), CC, "max-age=60", "Vary", "X-Tenant"));
          r.get("/a", "X-Tenant", "a");
          r.get("/a", "X-Tenant", "b");
          r.get("/a", "X-Tenant", "c");
          r.get("/a", "X-Tenant", "a").hit().body("t:a");
          r.get("/a", "X-Tenant", "b").hit().body("t:b");
          r.calls("/a", 3);
        }));
  }

  static List<Case> validation() {
    return List.of(
        c("RFC 9111 §4.3.1: a stale response is validated with its ETag; the 304 serves the stored body", r -> {
          r.origin("/a", etagged("\"v1\"", "body1", "max-age=10"));
          r.get("/a");
          r.advance(20).get("/a").status(200).reason("OK").body("body1").fwd("stale")
              .cacheStatusHas("fwd-status=304");
          assertThat(r.seen("/a", 2).get("if-none-match")).isEqualTo("\"v1\"");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.3.1: with only Last-Modified, validation sends If-Modified-Since", r -> {
          String lm = Rfc.date(r.now() - 1000 * HOUR * 1000);
          r.origin("/a", (req, n) -> lm.equals(req.getHeader("if-modified-since"))
              ? reply(304, "", CC, "max-age=10") : ok("lm-body", CC, "max-age=10", "Last-Modified", lm));
          r.get("/a");
          r.advance(20).get("/a").status(200).body("lm-body").cacheStatusHas("fwd-status=304");
          assertThat(r.seen("/a", 2).get("if-modified-since")).isEqualTo(lm);
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.3.4: a 304 updates the stored header fields and freshness", r -> {
          r.origin("/a", seq(ok("b", "ETag", "\"v1\"", CC, "max-age=10", "X-Version", "1"),
              reply(304, "", "ETag", "\"v1\"", CC, "max-age=100", "X-Version", "2")));
          r.get("/a").header("X-Version", "1");
          r.advance(20).get("/a").header("X-Version", "2").body("b");
          r.advance(50).get("/a").hit().header("X-Version", "2").header(CC, "max-age=100");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.3.3: a full response to a validation replaces the stored one", r -> {
          r.origin("/a", seq(ok("old", "ETag", "\"1\"", CC, "max-age=10"), ok("new", "ETag", "\"2\"", CC, "max-age=10")));
          r.get("/a").body("old");
          r.advance(20).get("/a").body("new").fwd("stale").cacheStatusHas("fwd-status=200").stored();
          r.get("/a").hit().body("new");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.3.3: a validation answered by an uncacheable response removes the stored one", r -> {
          r.origin("/a", seq(ok("old", "ETag", "\"1\"", CC, "max-age=10"), ok("private", CC, "no-store")));
          r.get("/a");
          r.advance(20).get("/a").body("private");
          r.get("/a", CC, "only-if-cached").status(504);
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.3.2: a client's matching If-None-Match on a fresh response gets a 304 from the cache", r -> {
          r.origin("/a", etagged("\"v1\"", "x", "max-age=60"));
          r.get("/a");
          r.get("/a", "If-None-Match", "\"v1\"").status(304).hit().header("ETag", "\"v1\"").body("")
              .noHeader("Content-Length");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §4.3.2: a non-matching If-None-Match gets the whole stored response", r -> {
          r.origin("/a", etagged("\"v1\"", "x", "max-age=60"));
          r.get("/a");
          r.get("/a", "If-None-Match", "\"other\"").status(200).hit().body("x");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §4.3.2 + RFC 9110 §13.1.3: If-Modified-Since not before Last-Modified gets a 304", r -> {
          String lm = Rfc.date(r.now() - 1000 * HOUR * 1000);
          r.origin("/a", ok("x", CC, "max-age=60", "Last-Modified", lm));
          r.get("/a");
          r.get("/a", "If-Modified-Since", lm).status(304).hit();
          r.get("/a", "If-Modified-Since", Rfc.date(r.now() - 2000 * HOUR * 1000)).status(200).hit();
          r.calls("/a", 1);
        }),
        c("RFC 9110 §13.1.2: If-None-Match uses the weak comparison", r -> {
          r.origin("/a", etagged("\"v1\"", "x", "max-age=60"));
          r.get("/a");
          r.get("/a", "If-None-Match", "W/\"v1\"").status(304);
          r.calls("/a", 1);
        }),
        c("RFC 9110 §13.2.2: If-None-Match takes precedence over If-Modified-Since", r -> {
          String lm = Rfc.date(r.now() - 1000 * HOUR * 1000);
          r.origin("/a", ok("x", CC, "max-age=60", "ETag", "\"v1\"", "Last-Modified", lm));
          r.get("/a");
          r.get("/a", "If-None-Match", "\"v0\"", "If-Modified-Since", lm).status(200).hit();
          r.calls("/a", 1);
        }),
        c("RFC 9111 §4.3.2: a conditional request on a miss goes upstream unchanged; its 304 is not stored", r -> {
          r.origin("/a", etagged("\"v1\"", "x", "max-age=60"));
          r.get("/a", "If-None-Match", "\"v1\"").status(304).fwd("uri-miss");
          assertThat(r.seen("/a", 1).get("if-none-match")).isEqualTo("\"v1\"");
          r.get("/a").status(200).fwd("uri-miss").stored();
          r.calls("/a", 2);
        }),
        c("RFC 9110 §13.1.1: If-Match is the origin's to judge: forwarded, cache not used", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.get("/a");
          r.get("/a", "If-Match", "\"v1\"").fwd("request");
          r.calls("/a", 2);
        }));
  }

  static List<Case> staleExtensions() {
    return List.of(
        c("RFC 5861 §4: stale-if-error covers an upstream 5xx", r -> {
          r.origin("/a", seq(ok("good", CC, "max-age=10, stale-if-error=60"), reply(503, "down")));
          r.get("/a");
          r.advance(20).get("/a").status(200).body("good").fwd("stale").cacheStatusHas("fwd-status=503")
              .cacheStatusHas("detail=stale-if-error");
          r.calls("/a", 2);
        }),
        c("RFC 5861 §4: past the stale-if-error window the error goes through", r -> {
          r.origin("/a", seq(ok("good", CC, "max-age=10, stale-if-error=60"), reply(503, "down")));
          r.get("/a");
          r.advance(100).get("/a").status(503).body("down");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.2.4: without permission to serve stale, an upstream 5xx is passed on", r -> {
          r.origin("/a", seq(ok("good", CC, "max-age=10"), reply(500, "boom")));
          r.get("/a");
          r.advance(20).get("/a").status(500).body("boom");
          r.calls("/a", 2);
        }),
        c("RFC 5861 §4: the proxy's staleIfError default covers a dropped connection", r -> {
          r.origin("/a", failingFrom(2, (req, n) -> ok("good", CC, "max-age=10")));
          r.send("swr", "GET", "/a");
          r.advance(60).send("swr", "GET", "/a").status(200).body("good").cacheStatusHas("detail=stale-if-error");
          r.calls("/a", 2);
        }),
        c("RFC 5861 §4: a request's stale-if-error lets the client accept a stale copy", r -> {
          r.origin("/a", seq(ok("good", CC, "max-age=10"), reply(502, "bad")));
          r.get("/a");
          r.advance(20).get("/a", CC, "stale-if-error=60").status(200).body("good");
          r.calls("/a", 2);
        }),
        c("RFC 5861 §3: stale-while-revalidate serves stale at once and revalidates once in the background", r -> {
          r.origin("/a", etagged("\"v1\"", "b", "max-age=10, stale-while-revalidate=30"));
          r.get("/a");
          r.advance(15).get("/a").status(200).hit().body("b").cacheStatusHas("detail=stale-while-revalidate");
          r.calls("/a", 2);
          assertThat(r.seen("/a", 2).get("if-none-match")).isEqualTo("\"v1\"");
          r.get("/a").hit().cacheStatusHas("ttl=10").age(0);
          r.calls("/a", 2);
        }),
        c("RFC 5861 §3: beyond the stale-while-revalidate window, validation is in the foreground", r -> {
          r.origin("/a", etagged("\"v1\"", "b", "max-age=10, stale-while-revalidate=30"));
          r.get("/a");
          r.advance(50).get("/a").fwd("stale").cacheStatusHas("fwd-status=304");
          r.calls("/a", 2);
        }),
        c("RFC 5861 §3: the proxy's staleWhileRevalidate default applies when the response has none", r -> {
          r.origin("/a", etagged("\"v1\"", "b", "max-age=10"));
          r.send("swr", "GET", "/a");
          r.advance(15).send("swr", "GET", "/a").hit().cacheStatusHas("detail=stale-while-revalidate");
          r.calls("/a", 2);
        }));
  }

  static List<Case> invalidation() {
    return List.of(
        c("RFC 9111 §4.4: a 2xx to POST invalidates the target URI", r -> {
          r.origin("/a", (req, n) -> req.method() == HttpMethod.POST ? reply(201, "created")
              : ok("x", CC, "max-age=60"));
          r.get("/a");
          r.send("api", "POST", "/a").status(201);
          r.get("/a").fwd("uri-miss");
          r.calls("/a", 3);
        }),
        c("RFC 9111 §4.4: an error response to POST does not invalidate", r -> {
          r.origin("/a", (req, n) -> req.method() == HttpMethod.POST ? reply(500, "no")
              : ok("x", CC, "max-age=60"));
          r.get("/a");
          r.send("api", "POST", "/a").status(500);
          r.get("/a").hit();
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.4: DELETE invalidates the target URI", r -> {
          r.origin("/a", (req, n) -> req.method() == HttpMethod.DELETE ? reply(204, "")
              : ok("x", CC, "max-age=60"));
          r.get("/a");
          r.send("api", "DELETE", "/a").status(204);
          r.get("/a").fwd("uri-miss");
          r.calls("/a", 3);
        }),
        c("RFC 9111 §4.4: a same-origin Location is invalidated too", r -> {
          r.origin("/item", ok("item", CC, "max-age=60"));
          r.origin("/items", reply(201, "", "Location", r.path("/item")));
          r.get("/item");
          r.send("api", "POST", "/items").status(201);
          r.get("/item").fwd("uri-miss");
          r.calls("/item", 2);
        }),
        c("RFC 9111 §4.4: a Location on another host is not invalidated", r -> {
          r.origin("/item", ok("item", CC, "max-age=60"));
          r.origin("/items", reply(201, "", "Location", "http://elsewhere.example" + r.path("/item")));
          r.get("/item");
          r.send("api", "POST", "/items").status(201);
          r.get("/item").hit();
          r.calls("/item", 1);
        }),
        c("RFC 9111 §4.4: Content-Location is invalidated too", r -> {
          r.origin("/b", ok("b", CC, "max-age=60"));
          r.origin("/a", reply(200, "put", "Content-Location", r.path("/b")));
          r.get("/b");
          r.send("api", "PUT", "/a").status(200);
          r.get("/b").fwd("uri-miss");
          r.calls("/b", 2);
        }),
        c("RFC 9111 §4.4: a method of unknown safety counts as unsafe", r -> {
          r.origin("/a", (req, n) -> req.method().name().equals("FROB") ? reply(200, "frobbed")
              : ok("x", CC, "max-age=60"));
          r.get("/a");
          r.send("api", "FROB", "/a").status(200);
          r.get("/a").fwd("uri-miss");
          r.calls("/a", 3);
        }),
        c("RFC 9111 §4.4: a safe method (OPTIONS) invalidates nothing", r -> {
          r.origin("/a", (req, n) -> req.method() == HttpMethod.OPTIONS ? reply(204, "")
              : ok("x", CC, "max-age=60"));
          r.get("/a");
          r.send("api", "OPTIONS", "/a").status(204).fwd("method");
          r.get("/a").hit();
          r.calls("/a", 2);
        }));
  }

  static List<Case> headAndRanges() {
    return List.of(
        c("RFC 9110 §9.3.2 + RFC 9111 §4: HEAD is answered from a stored GET", r -> {
          r.origin("/a", ok("hello", CC, "max-age=60", "ETag", "\"h\""));
          r.get("/a");
          r.send("api", "HEAD", "/a").status(200).hit().header("Content-Length", "5").header("ETag", "\"h\"")
              .body("");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §3: a HEAD miss goes upstream as HEAD and stores nothing", r -> {
          r.origin("/a", ok("hello", CC, "max-age=60"));
          r.send("api", "HEAD", "/a").status(200).fwd("uri-miss");
          assertThat(r.seenMethod("/a", 1)).isEqualTo("HEAD");
          r.get("/a").fwd("uri-miss").body("hello");
          r.calls("/a", 2);
        }),
        c("RFC 9110 §14.2 / §15.3.7: a single range is served from the stored body", r -> {
          r.origin("/a", ok("0123456789", CC, "max-age=60"));
          r.get("/a");
          r.get("/a", "Range", "bytes=2-5").status(206).hit().body("2345").header("Content-Range", "bytes 2-5/10");
          r.calls("/a", 1);
        }),
        c("RFC 9110 §14.1.2: a suffix range", r -> {
          r.origin("/a", ok("0123456789", CC, "max-age=60"));
          r.get("/a");
          r.get("/a", "Range", "bytes=-3").status(206).body("789").header("Content-Range", "bytes 7-9/10");
          r.get("/a", "Range", "bytes=8-").status(206).body("89").header("Content-Range", "bytes 8-9/10");
          r.calls("/a", 1);
        }),
        c("RFC 9110 §15.5.17: an unsatisfiable range is a 416 stating the length", r -> {
          r.origin("/a", ok("0123456789", CC, "max-age=60"));
          r.get("/a");
          r.get("/a", "Range", "bytes=20-30").status(416).header("Content-Range", "bytes */10");
          r.calls("/a", 1);
        }),
        c("RFC 9110 §14.2: several ranges are answered with the whole body, never a wrong range", r -> {
          r.origin("/a", ok("0123456789", CC, "max-age=60"));
          r.get("/a");
          r.get("/a", "Range", "bytes=0-1,4-5").status(200).body("0123456789");
          r.get("/a", "Range", "items=0-1").status(200).body("0123456789");
          r.calls("/a", 1);
        }),
        c("RFC 9110 §13.1.5: If-Range that does not match strongly ignores the Range", r -> {
          r.origin("/a", ok("0123456789", CC, "max-age=60", "ETag", "\"r1\""));
          r.get("/a");
          r.get("/a", "Range", "bytes=0-1", "If-Range", "\"r0\"").status(200).body("0123456789");
          r.get("/a", "Range", "bytes=0-1", "If-Range", "\"r1\"").status(206).body("01");
          r.calls("/a", 1);
        }),
        c("RFC 9111 §3.3: a Range request on a miss goes upstream; its 206 is not stored", r -> {
          r.origin("/a", (req, n) -> req.getHeader("range") != null
              ? reply(206, "01", "Content-Range", "bytes 0-1/10", CC, "max-age=60")
              : ok("0123456789", CC, "max-age=60"));
          r.get("/a", "Range", "bytes=0-1").status(206).body("01").fwd("uri-miss").cacheStatusHas("detail=range");
          assertThat(r.seen("/a", 1).get("range")).isEqualTo("bytes=0-1");
          r.get("/a").status(200).fwd("uri-miss");
          r.calls("/a", 2);
        }));
  }

  static List<Case> statusKeysAndPurge() {
    return List.of(
        c("RFC 9211 §2.1-2.5: a miss says fwd, fwd-status and stored; a hit says hit and ttl", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          assertThat(r.get("/a").cacheStatus()).isEqualTo("harp; fwd=uri-miss; fwd-status=200; stored");
          assertThat(r.advance(10).get("/a").cacheStatus()).isEqualTo("harp; hit; ttl=50");
        }),
        c("RFC 9211 §2: HARP appends its member after the upstream's caches", r -> {
          r.origin("/a", ok("x", CC, "max-age=60", "Cache-Status", "origin-cache; hit"));
          assertThat(r.get("/a").cacheStatus())
              .isEqualTo("origin-cache; hit, harp; fwd=uri-miss; fwd-status=200; stored");
          assertThat(r.get("/a").cacheStatus()).isEqualTo("origin-cache; hit, harp; hit; ttl=60");
        }),
        c("RFC 9211 §2.2: a forwarded unsafe request says fwd=method", r -> {
          r.origin("/a", reply(201, "made"));
          assertThat(r.send("api", "POST", "/a").cacheStatus()).isEqualTo("harp; fwd=method; fwd-status=201");
        }),
        c("RFC 9111 §2: the key is the request URI, independent of which pool endpoint answered", r -> {
          r.origin("/a", ok("same", CC, "max-age=60"));
          r.send("two", "GET", "/a").stored();
          for (int i = 0; i < 4; i++) {
            r.send("two", "GET", "/a").hit().body("same");
          }
          r.calls("/a", 1);
        }),
        c("RFC 9111 §2 + RFC 3986 §6.2.2: the key URI is normalised (percent-encoding, dot segments)", r -> {
          r.origin("/a~b", ok("n", CC, "max-age=60"));
          r.get("/a~b").stored();
          r.get("/a%7eb").hit();
          r.get("/a%7Eb").hit();
          r.get("/x/../a~b").hit();
          r.get("/./a~b").hit();
          r.calls("/a~b", 1);
        }),
        c("RFC 9111 §2: the query is part of the key", r -> {
          r.origin("/a", (req, n) -> ok("q:" + req.query(), CC, "max-age=60"));
          r.get("/a?x=1").body("q:x=1");
          r.get("/a?x=2").fwd("uri-miss").body("q:x=2");
          r.get("/a?x=1").hit().body("q:x=1");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §2 + RFC 9110 §7.2: with preserveHost, Host is part of the key", r -> {
          r.origin("/a", (req, n) -> ok("h:" + req.getHeader("host"), CC, "max-age=60"));
          r.send("host", "GET", "/a", "Host", "a.example").stored().body("h:a.example");
          r.send("host", "GET", "/a", "Host", "b.example").fwd("uri-miss").body("h:b.example");
          r.send("host", "GET", "/a", "Host", "A.EXAMPLE").hit().body("h:a.example");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.4 (explicit invalidation): PURGE from an allowed network removes the entry", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.get("/a");
          Rfc.Resp purge = r.send("api", "PURGE", "/a").status(200);
          assertThat(purge.body()).contains("\"purged\":1");
          r.get("/a").fwd("uri-miss");
          r.calls("/a", 2);
        }),
        c("RFC 9111 §4.4 (explicit invalidation): PURGE from outside purgeAllow is a 403, nothing removed", r -> {
          r.origin("/a", ok("x", CC, "max-age=60"));
          r.send("nopurge", "GET", "/a");
          r.send("nopurge", "PURGE", "/a").status(403);
          r.send("nopurge", "GET", "/a").hit();
          r.calls("/a", 1);
        }));
  }
}
