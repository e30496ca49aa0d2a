package dev.harp.rules;

import dev.cel.runtime.CelEvaluationException;
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
 * header edits of every enforced match apply; shadow rules are only counted. An expression that fails at run time
 * (a missing map key, a bad pattern) counts as no match, in its own counter, and never fails the request.
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
    if (r.action() instanceof Rule.EditHeaders e && (!e.removeRequest().isEmpty() || !e.setRequest().isEmpty())) {
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
      Rule.EditHeaders edits = (Rule.EditHeaders) rule.action();
      if (live.upstreamEdit() != null) {
        exchange.editUpstreamHeaders(live.upstreamEdit());
      }
      if (!edits.setResponse().isEmpty()) {
        MultiMap response = exchange.responseHeaders();
        edits.setResponse().forEach(response::set);
      }
    }
    next.proceed();
  }

  private static boolean matches(Live live, RequestVariables vars, Exchange exchange) {
    Object result;
    try {
      result = live.rule().when().eval(vars);
    } catch (CelEvaluationException | RuntimeException e) {
      live.failed().run();
      if (LOG.isDebugEnabled()) {
        LOG.debug("rule {} of proxy {} failed on request {}: {}", live.rule().name(), exchange.proxyName(),
            exchange.requestId(), e.getMessage());
      }
      return false;
    }
    if (result instanceof Boolean b) {
      return b;
    }
    live.failed().run();
    return false;
  }

  /** A deny rule also guards WebSocket handshakes. */
  @Override
  public boolean handlesUpgrades() {
    return true;
  }
}
