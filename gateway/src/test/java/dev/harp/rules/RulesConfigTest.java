package dev.harp.rules;

import dev.harp.config.ConfigProblems;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RulesConfigTest {

  private final RulesFilterFactory factory = new RulesFilterFactory();

  private List<String> problems(String yaml) {
    ConfigProblems problems = new ConfigProblems();
    factory.read(TestBlock.rules(yaml, problems));
    return problems.list();
  }

  @Test
  void aValidListHasNoProblems() {
    assertThat(problems("""
        - name: no-admin
          when: request.canonicalPath.startsWith('/admin') && !('x-admin' in request.headers)
          deny: {status: 403, detail: admins only}
        - name: tag
          mode: shadow
          when: request.method == 'POST' && request.query['debug'] == '1' && now > timestamp('2020-01-01T00:00:00Z')
          setRequestHeaders: {X-Debug: "on"}
          removeRequestHeaders: [Cookie]
          setResponseHeaders: {X-Rule: tag}
        - name: net
          when: client.address.startsWith('10.') || identity == 'alice' || request.path.matches('^/v[0-9]+/')
          deny: {}
        - name: macros
          when: request.headers.exists(k, k.startsWith('x-')) && has(request.query.page)
          deny: {status: 451}
        """)).isEmpty();
  }

  @Test
  void theDocsExamplesCompile() {
    assertThat(problems("""
        - name: internal-only
          when: request.canonicalPath.startsWith('/internal/') && !client.address.startsWith('10.')
          deny: {status: 404, detail: "Not found."}
        - name: api-v2
          when: request.headers['accept'].contains('version=2')
          setRequestHeaders: {X-Api-Version: "2"}
        - name: safe-lookup
          when: "'accept' in request.headers && request.headers['accept'].contains('version=2')"
          setResponseHeaders: {X-Api-Version: "2"}
        - name: office-hours
          mode: shadow
          when: request.method != 'GET' && (now.getHours('Europe/Berlin') < 7 || now.getHours('Europe/Berlin') >= 19)
          deny: {status: 403}
        - name: no-admin
          when: request.canonicalPath.startsWith('/admin') && client.address != '10.0.0.5'
          deny: {status: 403, detail: "admins only"}
        - name: would-block-posts
          mode: shadow
          when: request.method == 'POST' && now > timestamp('2026-01-01T00:00:00Z')
          deny: {status: 405}
        """)).isEmpty();
  }

  @Test
  void aSyntaxErrorIsAProblemAtWhenWithItsPosition() {
    assertThat(problems("""
        - name: ok
          when: "true"
          deny: {}
        - name: broken
          when: request.method ==
          deny: {}
        """)).singleElement().asString()
        .startsWith("proxies[0].rules[1].when: 1:18: mismatched input '<EOF>'");
  }

  @Test
  void anUndeclaredVariableIsAProblemWithItsPosition() {
    assertThat(problems("""
        - name: typo
          when: request.method == 'GET' && reqest.path == '/'
          deny: {}
        """)).singleElement().asString()
        .isEqualTo("proxies[0].rules[0].when: 1:28: undeclared reference to 'reqest' (in container '')");
  }

  @Test
  void aTypeErrorIsAProblem() {
    assertThat(problems("""
        - name: types
          when: request.method == 3
          deny: {}
        """)).singleElement().asString()
        .startsWith("proxies[0].rules[0].when: 1:16: found no matching overload for '_==_'");
  }

  @Test
  void anExpressionThatIsNotABoolIsAProblem() {
    assertThat(problems("""
        - name: string
          when: request.path
          deny: {}
        """)).containsExactly("proxies[0].rules[0].when: must be a condition (a bool), but gives string");
  }

  @Test
  void namesAreRequiredAndUnique() {
    assertThat(problems("""
        - name: a
          when: "true"
          deny: {}
        - name: a
          when: "false"
          deny: {}
        - when: "true"
          deny: {}
        """)).containsExactlyInAnyOrder(
        "proxies[0].rules[1].name: 'a' is already the name of proxies[0].rules[0]",
        "proxies[0].rules[2].name: is required");
  }

  @Test
  void badModesActionsAndHeadersAreProblems() {
    assertThat(problems("""
        - name: m
          when: "true"
          mode: dry-run
          deny: {status: 200, detail: x, colour: red}
        - name: none
          when: "true"
        - name: both
          when: "true"
          deny: {}
          setResponseHeaders: {X-A: b}
        - name: headers
          when: "true"
          setRequestHeaders: {"Bad Name": x, Content-Length: "3"}
          removeRequestHeaders: ["a:b"]
          setResponseHeaders: {X-Ok: "fine"}
        - name: typo
          when: "true"
          denny: {}
        """)).containsExactlyInAnyOrder(
        "proxies[0].rules[0].mode: must be enforce or shadow, got 'dry-run'",
        "proxies[0].rules[0].deny.colour: unknown key (allowed here: detail, status)",
        "proxies[0].rules[0].deny.status: must be between 400 and 599, got 200",
        "proxies[0].rules[1].deny: is required when there is no other action: a rule needs deny, or one or more of "
            + "setRequestHeaders, removeRequestHeaders, setResponseHeaders, pool, rateLimitKey",
        "proxies[0].rules[2].deny: cannot be combined with setResponseHeaders in one rule (a denied request goes "
            + "nowhere: write two rules)",
        "proxies[0].rules[3].setRequestHeaders.Bad Name: 'Bad Name' is not a header field name "
            + "(letters, digits and !#$%&'*+-.^_`|~ only)",
        "proxies[0].rules[3].setRequestHeaders.Content-Length: Content-Length frames the message; "
            + "rules cannot change it",
        "proxies[0].rules[3].removeRequestHeaders[0]: 'a:b' is not a header field name "
            + "(letters, digits and !#$%&'*+-.^_`|~ only)",
        "proxies[0].rules[4].denny: unknown key (allowed here: deny, mode, name, pool, rateLimitKey, "
            + "removeRequestHeaders, setRequestHeaders, setResponseHeaders, when)",
        "proxies[0].rules[4].deny: is required when there is no other action: a rule needs deny, or one or more "
            + "of setRequestHeaders, removeRequestHeaders, setResponseHeaders, pool, rateLimitKey");
  }

  private List<String> problems(String yaml, String... pools) {
    ConfigProblems problems = new ConfigProblems();
    factory.read(TestBlock.rules(yaml, problems, List.of(pools)));
    return problems.list();
  }

  @Test
  void poolAndRateLimitKeyActionsAreValidatedAgainstTheProxy() {
    assertThat(problems("""
        - name: canary
          when: "'x-canary' in request.headers"
          pool: canary
          rateLimitKey: "'tenant-' + request.headers['x-canary']"
          setResponseHeaders: {X-Pool: canary}
        - name: keyed
          when: "true"
          rateLimitKey: "dyn(request.query)['tenant']"
        """, "canary", "blue")).isEmpty();

    assertThat(problems("""
        - name: ok
          when: "true"
          pool: blue
        - name: typo
          when: "true"
          pool: canry
        - name: not-a-string
          when: "true"
          rateLimitKey: request.method == 'GET'
        - name: both
          when: "true"
          pool: blue
          deny: {}
        """, "canary", "blue")).containsExactlyInAnyOrder(
        "proxies[0].rules[1].pool: no pool 'canry' in upstream.pools (declared: canary, blue)",
        "proxies[0].rules[2].rateLimitKey: must be a string, but gives bool",
        "proxies[0].rules[3].deny: cannot be combined with pool in one rule (a denied request goes nowhere: write "
            + "two rules)");

    assertThat(problems("""
        - name: syntax
          when: "true"
          rateLimitKey: request.headers[
        """)).singleElement().asString()
        .startsWith("proxies[0].rules[0].rateLimitKey: 1:17: mismatched input '<EOF>'");
  }

  @Test
  void aPoolOnAProxyWithoutPoolsSaysNoneAreDeclared() {
    assertThat(problems("""
        - name: p
          when: "true"
          pool: canary
        """)).containsExactly("proxies[0].rules[0].pool: no pool 'canary' in upstream.pools (declared: none)");
  }

  @Test
  void rulesMustBeAList() {
    assertThat(problems("{name: a, when: 'true'}")).containsExactly("proxies[0].rules: must be a list");
  }
}
