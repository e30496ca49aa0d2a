package dev.harp.rules;

import dev.cel.runtime.CelEvaluationException;
import dev.harp.spi.Attachments;
import dev.harp.spi.Exchange;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.Next;
import io.vertx.core.MultiMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * Evaluates a proxy's rules in order on each request: the first enforced deny that matches ends the exchange; the
 * header edits of every enforced match apply; the first enforced match with a pool chooses the exchange's upstream
 * pool, the first with a rate-limit key sets its key ({@link Attachments}); shadow rules are only counted. An
 * expression that fails at run time (a missing map key, a bad pattern) counts as no match, in its own counter, and
 * never fails the request.
 */
final class RulesFilter implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger("harp.rules");

  /** A rule with what it needs per request made once: its counters and its upstream header editor. */
  private record Live(Rule rule, Runnable matched, Runnable failed, Consumer<MultiMap> upstreamEdit) {
  }

  private final Live[] rules;

  RulesFilter(List<Rule> rules, FilterContext context) {
    this.rules = rules.stream().map(r -> live(r, context)).toArray(Live[]::new);
  }

  private static Live live(Rule r, FilterContext context) {
    String mode = r.mode().label();
    Consumer<MultiMap> edit = null;
    if (r.action() instanceof Rule.Modify e && (!e.removeRequest().isEmpty() || !e.setRequest().isEmpty())) {
      edit = headers -> {
        e.removeRequest().forEach(headers::remove);
        e.setRequest().forEach(headers::set);
      };
    }
    return new Live(r, context.counter("rule_matches", "rule", r.name(), "mode", mode),
        context.counter("rule_errors", "rule", r.name(), "mode", mode), edit);
  }

  @Override
  public void onRequest(Exchange exchange, Next next) {
    RequestVariables vars = new RequestVariables(exchange);
    // The first enforced match that has a pool (a key) sets it; later ones do not override it.
    boolean poolSet = false;
    boolean keySet = false;
    for (Live live : rules) {
      if (!matches(live, vars, exchange)) {
        continue;
      }
      live.matched().run();
      Rule rule = live.rule();
      if (rule.mode() == Rule.Mode.SHADOW) {
        continue;
      }
      if (rule.action() instanceof Rule.Deny deny) {
        exchange.reject(deny.failure());
        return;
      }
      Rule.Modify edits = (Rule.Modify) rule.action();
      if (live.upstreamEdit() != null) {
        exchange.editUpstreamHeaders(live.upstreamEdit());
      }
      if (!edits.setResponse().isEmpty()) {
        MultiMap response = exchange.responseHeaders();
        edits.setResponse().forEach(response::set);
      }
      if (edits.pool() != null && !poolSet) {
        poolSet = true;
        exchange.put(Attachments.UPSTREAM_POOL, edits.pool());
      }
      if (edits.rateLimitKey() != null && !keySet) {
        String key = rateLimitKey(live, edits, vars, exchange);
        if (key != null) {
          keySet = true;
          exchange.put(Attachments.RATE_LIMIT_KEY, key);
        }
      }
    }
    next.proceed();
  }

  /** The key, or null when its expression failed (counted as the rule's error; a later rule may still key it). */
  private static String rateLimitKey(Live live, Rule.Modify edits, RequestVariables vars, Exchange exchange) {
    Object result;
    try {
      result = edits.rateLimitKey().eval(vars);
    } catch (CelEvaluationException | RuntimeException e) {
      failed(live, exchange, e.getMessage());
      return null;
    }
    if (result instanceof String key) {
      return key;
    }
    failed(live, exchange, "rateLimitKey gave " + (result == null ? "null" : result.getClass().getSimpleName()));
    return null;
  }

  private static void failed(Live live, Exchange exchange, String why) {
    live.failed().run();
    if (LOG.isDebugEnabled()) {
      LOG.debug("rule {} of proxy {} failed on request {}: {}", live.rule().name(), exchange.proxyName(),
          exchange.requestId(), why);
    }
  }

  private static boolean matches(Live live, RequestVariables vars, Exchange exchange) {
    Object result;
    try {
      result = live.rule().when().eval(vars);
    } catch (CelEvaluationException | RuntimeException e) {
      failed(live, exchange, e.getMessage());
      return false;
    }
    if (result instanceof Boolean b) {
      return b;
    }
    failed(live, exchange, "when gave " + (result == null ? "null" : result.getClass().getSimpleName()));
    return false;
  }

  /** A deny rule also guards WebSocket handshakes. */
  @Override
  public boolean handlesUpgrades() {
    return true;
  }
}
