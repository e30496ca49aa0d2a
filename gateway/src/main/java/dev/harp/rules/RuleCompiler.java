package dev.harp.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.checker.CelStandardDeclarations;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationExceptionBuilder;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.CelStandardFunctions.StandardFunction;
import dev.cel.runtime.Program;

import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Compiles rule expressions (conditions, rate-limit keys) against HARP's request variables. One CEL environment for
 * the node: it and the programs it makes are immutable and safe to share across event loops.
 */
final class RuleCompiler {

  /** The result of compiling one condition. */
  sealed interface Compiled {
  }

  record Ok(Program program) implements Compiled {
  }

  record Error(String message) implements Compiled {
  }

  /** Patterns kept compiled; past this many distinct ones (built from request data), each is compiled per call. */
  private static final int MAX_CACHED_PATTERNS = 1024;
  private static final ConcurrentHashMap<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar(RequestVariables.METHOD, SimpleType.STRING)
      .addVar(RequestVariables.PATH, SimpleType.STRING)
      .addVar(RequestVariables.CANONICAL_PATH, SimpleType.STRING)
      .addVar(RequestVariables.HEADERS, MapType.create(SimpleType.STRING, SimpleType.STRING))
      .addVar(RequestVariables.QUERY, MapType.create(SimpleType.STRING, SimpleType.STRING))
      .addVar(RequestVariables.CLIENT_ADDRESS, SimpleType.STRING)
      .addVar(RequestVariables.IDENTITY, SimpleType.STRING)
      .addVar(RequestVariables.NOW, SimpleType.TIMESTAMP)
      // CEL's own matches() compiles its pattern on every call; this one keeps it. Replacing one standard function
      // means declaring the standard environment piece by piece.
      .setStandardEnvironmentEnabled(false)
      .setStandardDeclarations(CelStandardDeclarations.newBuilder().build())
      .setStandardFunctions(CelStandardFunctions.newBuilder().excludeFunctions(StandardFunction.MATCHES).build())
      .addFunctionBindings(
          CelFunctionBinding.from("matches", String.class, String.class, RuleCompiler::matches),
          CelFunctionBinding.from("matches_string", String.class, String.class, RuleCompiler::matches))
      .build();

  private RuleCompiler() {
  }

  /**
   * @param expression a CEL condition
   * @return its program, or CEL's errors as {@code line:column: message}, joined by "; "
   */
  static Compiled compile(String expression) {
    return compile(expression, CelKind.BOOL, "a condition (a bool)");
  }

  /**
   * @param expression a CEL expression that gives a string (a rate-limit key)
   * @return its program, or CEL's errors as for {@link #compile}
   */
  static Compiled compileString(String expression) {
    return compile(expression, CelKind.STRING, "a string");
  }

  /** {@code dyn} passes the check: its value is checked when it runs (and a wrong one counts as an error). */
  private static Compiled compile(String expression, CelKind expected, String what) {
    CelAbstractSyntaxTree ast;
    try {
      ast = CEL.compile(expression).getAst();
    } catch (CelValidationException e) {
      return new Error(e.getErrors().stream().map(RuleCompiler::describe).collect(Collectors.joining("; ")));
    }
    CelKind kind = ast.getResultType().kind();
    if (kind != expected && kind != CelKind.DYN) {
      return new Error("must be " + what + ", but gives " + ast.getResultType().name());
    }
    try {
      return new Ok(CEL.createProgram(ast));
    } catch (CelEvaluationException e) {
      return new Error(e.getMessage());
    }
  }

  private static String describe(CelIssue issue) {
    // CelIssue's column counts from 0; CEL's own rendering (and editors) count from 1.
    return issue.getSourceLocation().getLine() + ":" + (issue.getSourceLocation().getColumn() + 1) + ": "
        + issue.getMessage();
  }

  /** CEL's matches(): RE2, a match anywhere in the text (CEL's default partial match). */
  private static boolean matches(String text, String regex) throws CelEvaluationException {
    Pattern p = PATTERNS.get(regex);
    if (p == null) {
      try {
        p = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw CelEvaluationExceptionBuilder.newBuilder("invalid regex '%s': %s", regex, e.getDescription()).build();
      }
      if (PATTERNS.size() < MAX_CACHED_PATTERNS) {
        PATTERNS.putIfAbsent(regex, p);
      }
    }
    return p.matcher(text).find();
  }
}
