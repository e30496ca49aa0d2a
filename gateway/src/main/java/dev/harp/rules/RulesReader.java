package dev.harp.rules;

import dev.harp.http.HeaderFields;
import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Failure;
import dev.harp.spi.FailureType;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and compiles a proxy's {@code rules:} list, recording every problem with its key path. */
final class RulesReader {

  private static final Set<String> KEYS = Set.of("name", "when", "mode", "deny", "setRequestHeaders",
      "removeRequestHeaders", "setResponseHeaders", "pool", "rateLimitKey");
  /** Fields that frame the message: a rule changing them would corrupt it. */

  private RulesReader() {
  }

  static List<Rule> read(ConfigBlock block) {
    List<Rule> rules = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (ConfigBlock entry : block.items()) {
      entry.allowOnly(KEYS);
      String name = entry.requiredString("name");
      if (name != null) {
        String earlier = names.putIfAbsent(name, entry.path());
        if (earlier != null) {
          entry.problem("name", "'" + name + "' is already the name of " + earlier);
        }
      }
      dev.cel.runtime.Program when = null;
      String expression = entry.requiredString("when");
      if (expression != null) {
        RuleCompiler.Compiled c = RuleCompiler.compile(expression);
        if (c instanceof RuleCompiler.Error e) {
          entry.problem("when", e.message());
        } else {
          when = ((RuleCompiler.Ok) c).program();
        }
      }
      Rule.Mode mode = mode(entry);
      Rule.Action action = action(entry, name);
      if (name != null && when != null && mode != null && action != null) {
        rules.add(new Rule(name, mode, when, action));
      }
    }
    return rules;
  }

  private static Rule.Mode mode(ConfigBlock entry) {
    String m = entry.string("mode", "enforce");
    switch (m) {
      case "enforce":
        return Rule.Mode.ENFORCE;
      case "shadow":
        return Rule.Mode.SHADOW;
      default:
        entry.problem("mode", "must be enforce or shadow, got '" + m + "'");
        return null;
    }
  }

  private static Rule.Action action(ConfigBlock entry, String name) {
    boolean deny = entry.has("deny");
    List<String> others = new ArrayList<>();
    for (String key : List.of("setRequestHeaders", "removeRequestHeaders", "setResponseHeaders", "pool",
        "rateLimitKey")) {
      if (entry.has(key)) {
        others.add(key);
      }
    }
    if (!deny && others.isEmpty()) {
      entry.problem("deny", "is required when there is no other action: a rule needs deny, or one or more of "
          + "setRequestHeaders, removeRequestHeaders, setResponseHeaders, pool, rateLimitKey");
      return null;
    }
    if (deny && !others.isEmpty()) {
      entry.problem("deny", "cannot be combined with " + String.join(", ", others)
          + " in one rule (a denied request goes nowhere: write two rules)");
      return null;
    }
    return deny ? deny(entry.object("deny"), name) : modify(entry);
  }

  private static Rule.Action deny(ConfigBlock d, String name) {
    d.allowOnly(Set.of("status", "detail"));
    int status = (int) d.integer("status", 403, 400, 599);
    String detail = d.string("detail", "Denied by rule '" + name + "'.");
    FailureType type = new FailureType(status, "rule-denied", HttpResponseStatus.valueOf(status).reasonPhrase());
    return new Rule.Deny(Failure.of(type, detail));
  }

  private static Rule.Action modify(ConfigBlock entry) {
    Map<String, String> setRequest = fields(entry.object("setRequestHeaders"));
    List<String> remove = new ArrayList<>();
    List<String> listed = entry.strings("removeRequestHeaders");
    for (int i = 0; i < listed.size(); i++) {
      String n = listed.get(i);
      String reason = HeaderFields.nameProblem(n, "rules");
      if (reason != null) {
        entry.problem("removeRequestHeaders[" + i + "]", reason);
      } else {
        remove.add(n);
      }
    }
    Map<String, String> setResponse = fields(entry.object("setResponseHeaders"));
    String pool = pool(entry);
    dev.cel.runtime.Program key = null;
    if (entry.has("rateLimitKey")) {
      String expression = entry.requiredString("rateLimitKey");
      if (expression != null) {
        RuleCompiler.Compiled c = RuleCompiler.compileString(expression);
        if (c instanceof RuleCompiler.Error e) {
          entry.problem("rateLimitKey", e.message());
        } else {
          key = ((RuleCompiler.Ok) c).program();
        }
      }
    }
    return new Rule.Modify(Map.copyOf(setRequest), List.copyOf(remove), Map.copyOf(setResponse), pool, key);
  }

  /** The pool must be one the proxy declares: a typo would otherwise answer 503 to every matching request. */
  private static String pool(ConfigBlock entry) {
    if (!entry.has("pool")) {
      return null;
    }
    String pool = entry.requiredString("pool");
    List<String> declared = entry.upstreamPools();
    if (pool != null && !declared.contains(pool)) {
      entry.problem("pool", "no pool '" + pool + "' in upstream.pools (declared: "
          + (declared.isEmpty() ? "none" : String.join(", ", declared)) + ")");
      return null;
    }
    return pool;
  }

  private static Map<String, String> fields(ConfigBlock block) {
    return HeaderFields.read(block, "rules");
  }
}
