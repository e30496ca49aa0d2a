package dev.harp.rules;

import dev.harp.config.ConfigProblems;
import dev.harp.spi.Attachments;
import dev.harp.spi.Filter;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RulesFilterTest {

  private final TestContext context = new TestContext();

  private Filter filter(String yaml, String... pools) {
    ConfigProblems problems = new ConfigProblems();
    RulesFilterFactory factory = new RulesFilterFactory();
    List<?> config = factory.read(TestBlock.rules(yaml, problems, List.of(pools)));
    assertThat(problems.list()).isEmpty();
    return factory.create(config, context);
  }

  private static TestExchange run(Filter f, TestExchange ex) {
    f.onRequest(ex, () -> ex.proceeded = true);
    return ex;
  }

  private static TestExchange get(String uri) {
    return new TestExchange(HttpMethod.GET, uri);
  }

  @Test
  void aMatchingDenyRejectsWithItsStatusAndDetailAndIsCounted() {
    Filter f = filter("""
        - name: no-admin
          when: request.canonicalPath.startsWith('/admin')
          deny: {status: 404, detail: nothing here}
        """);
    TestExchange denied = run(f, get("/%41dmin//users;x=1"));
    assertThat(denied.proceeded).isFalse();
    assertThat(denied.rejected.type().status()).isEqualTo(404);
    assertThat(denied.rejected.type().slug()).isEqualTo("rule-denied");
    assertThat(denied.rejected.type().title()).isEqualTo("Not Found");
    assertThat(denied.rejected.detail()).isEqualTo("nothing here");

    TestExchange passed = run(f, get("/public"));
    assertThat(passed.proceeded).isTrue();
    assertThat(passed.rejected).isNull();
    assertThat(context.count("rule_matches{rule=no-admin,mode=enforce}")).isEqualTo(1);
    assertThat(context.count("rule_errors{rule=no-admin,mode=enforce}")).isZero();
  }

  @Test
  void theFirstMatchingDenyEndsEvaluation() {
    Filter f = filter("""
        - name: tag
          when: "true"
          setResponseHeaders: {X-Seen: "yes"}
        - name: first
          when: request.method == 'DELETE'
          deny: {status: 405}
        - name: second
          when: "true"
          deny: {status: 418}
        """);
    TestExchange ex = run(f, new TestExchange(HttpMethod.DELETE, "/x"));
    assertThat(ex.rejected.type().status()).isEqualTo(405);
    assertThat(ex.rejected.detail()).isEqualTo("Denied by rule 'first'.");
    assertThat(ex.responseHeaders.get("X-Seen")).isEqualTo("yes");
    assertThat(context.count("rule_matches{rule=second,mode=enforce}")).isZero();
  }

  @Test
  void headerActionsOfEveryMatchingRuleApply() {
    Filter f = filter("""
        - name: strip
          when: "'cookie' in request.headers"
          removeRequestHeaders: [Cookie, X-Internal]
          setRequestHeaders: {X-Had-Cookie: "1"}
        - name: tag
          when: request.query['v'] == '2' && request.headers['x-client'] == 'app'
          setRequestHeaders: {X-Api-Version: "2"}
          setResponseHeaders: {X-Rule: tag}
        - name: never
          when: request.method == 'POST'
          setResponseHeaders: {X-Never: "1"}
        """);
    TestExchange ex = run(f, get("/a?v=2&v=3").header("Cookie", "s=1").header("X-Internal", "t")
        .header("X-Client", "app"));
    assertThat(ex.proceeded).isTrue();
    assertThat(ex.upstreamHeaders().contains("Cookie")).isFalse();
    assertThat(ex.upstreamHeaders().contains("X-Internal")).isFalse();
    assertThat(ex.upstreamHeaders().get("X-Had-Cookie")).isEqualTo("1");
    assertThat(ex.upstreamHeaders().get("X-Api-Version")).isEqualTo("2");
    assertThat(ex.upstreamHeaders().get("X-Client")).isEqualTo("app");
    assertThat(ex.responseHeaders.get("X-Rule")).isEqualTo("tag");
    assertThat(ex.responseHeaders.contains("X-Never")).isFalse();
  }

  @Test
  void shadowRulesAreCountedButDoNotAct() {
    Filter f = filter("""
        - name: would-deny
          mode: shadow
          when: request.path == '/x'
          deny: {}
        - name: would-tag
          mode: shadow
          when: "true"
          setResponseHeaders: {X-Shadow: "1"}
          setRequestHeaders: {X-Shadow: "1"}
        """);
    TestExchange ex = run(f, get("/x"));
    run(f, get("/x"));
    run(f, get("/y"));
    assertThat(ex.proceeded).isTrue();
    assertThat(ex.rejected).isNull();
    assertThat(ex.responseHeaders.isEmpty()).isTrue();
    assertThat(ex.upstreamEditors).isEmpty();
    assertThat(context.count("rule_matches{rule=would-deny,mode=shadow}")).isEqualTo(2);
    assertThat(context.count("rule_matches{rule=would-tag,mode=shadow}")).isEqualTo(3);
  }

  @Test
  void evaluationErrorsCountAsNoMatchInTheirOwnCounter() {
    Filter f = filter("""
        - name: missing-key
          when: request.headers['x-tenant'] == 'a'
          deny: {}
        - name: bad-regex
          when: request.path.matches(request.query['re'])
          deny: {}
        - name: upper
          when: request.headers['X-Tenant'] == 'a'
          deny: {}
        - name: fine
          when: request.headers['x-tenant'] == 'b'
          setResponseHeaders: {X-Tenant-B: "1"}
        """);
    TestExchange ex = run(f, get("/p?re=(").header("X-Other", "1"));
    assertThat(ex.proceeded).isTrue();
    assertThat(ex.rejected).isNull();
    assertThat(context.count("rule_errors{rule=missing-key,mode=enforce}")).isEqualTo(1);
    assertThat(context.count("rule_errors{rule=bad-regex,mode=enforce}")).isEqualTo(1);
    assertThat(context.count("rule_errors{rule=upper,mode=enforce}")).isEqualTo(1);
    assertThat(context.count("rule_matches{rule=missing-key,mode=enforce}")).isZero();

    TestExchange b = run(f, get("/p?re=^/q$").header("X-Tenant", "b"));
    assertThat(b.proceeded).isTrue();
    assertThat(b.responseHeaders.get("X-Tenant-B")).isEqualTo("1");
    assertThat(context.count("rule_errors{rule=missing-key,mode=enforce}")).isEqualTo(1);
  }

  @Test
  void variablesHoldWhatTheDocsSay() {
    Filter f = filter("""
        - name: all
          when: >-
            request.method == 'PUT' && request.path == '/A/./b' && request.canonicalPath == ''
            && client.address == '10.1.2.3' && identity == '' && request.query['q'] == 'a b'
            && request.headers.size() == 1 && now > timestamp('2024-01-01T00:00:00Z')
          deny: {}
        """);
    TestExchange ex = new TestExchange(HttpMethod.PUT, "/A/./b?q=a+b").header("Host", "h");
    ex.clientAddress = "10.1.2.3";
    run(f, ex);
    assertThat(context.count("rule_errors{rule=all,mode=enforce}")).isZero();
    assertThat(ex.rejected).isNotNull();
  }

  @Test
  void theFirstEnforcedMatchWithAPoolOrAKeySetsItAndShadowRulesOnlyCount() {
    Filter f = filter("""
        - name: shadow-pool
          mode: shadow
          when: "true"
          pool: blue
          rateLimitKey: "'shadow'"
        - name: bad-key
          when: "true"
          rateLimitKey: request.headers['x-missing']
        - name: canary
          when: "'x-canary' in request.headers"
          pool: canary
          rateLimitKey: "'tenant-' + request.headers['x-canary']"
          setResponseHeaders: {X-Pool: canary}
        - name: everyone
          when: "true"
          pool: blue
          rateLimitKey: client.address
        """, "canary", "blue");
    TestExchange canary = run(f, get("/").header("X-Canary", "t1"));
    assertThat(canary.proceeded).isTrue();
    assertThat(canary.get(Attachments.UPSTREAM_POOL)).isEqualTo("canary");
    assertThat(canary.get(Attachments.RATE_LIMIT_KEY)).isEqualTo("tenant-t1");
    assertThat(canary.responseHeaders.get("X-Pool")).isEqualTo("canary");

    TestExchange other = run(f, get("/"));
    assertThat(other.get(Attachments.UPSTREAM_POOL)).isEqualTo("blue");
    assertThat(other.get(Attachments.RATE_LIMIT_KEY)).as("bad-key failed, so the next match keys it")
        .isEqualTo("127.0.0.1");
    assertThat(context.count("rule_matches{rule=shadow-pool,mode=shadow}")).isEqualTo(2);
    assertThat(context.count("rule_errors{rule=bad-key,mode=enforce}")).isEqualTo(2);
    assertThat(context.count("rule_matches{rule=everyone,mode=enforce}")).isEqualTo(2);
  }

  @Test
  void identityIsTheConsumerAuthPublished() {
    Filter f = filter("""
        - name: billing
          when: identity == 'billing-app'
          setResponseHeaders: {X-Who: billing}
        """);
    TestExchange anonymous = run(f, get("/"));
    assertThat(anonymous.responseHeaders.get("X-Who")).isNull();
    TestExchange billing = get("/");
    billing.put(Attachments.CONSUMER, "billing-app");
    assertThat(run(f, billing).responseHeaders.get("X-Who")).isEqualTo("billing");
  }
}
