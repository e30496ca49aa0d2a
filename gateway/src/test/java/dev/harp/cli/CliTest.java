package dev.harp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CliTest {

  @TempDir
  Path dir;

  private record Result(int code, String out, String err) {
  }

  private Result run(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream oldOut = System.out;
    java.io.PrintStream oldErr = System.err;
    try {
      System.setOut(new java.io.PrintStream(out, true));
      System.setErr(new java.io.PrintStream(err, true));
      CommandLine cli = new CommandLine(new HarpCli());
      StringWriter usageErr = new StringWriter();
      cli.setErr(new PrintWriter(usageErr));
      int code = cli.execute(args);
      return new Result(code, out.toString(), err + usageErr.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void filtersPrintsEachProxysPipelineAndRefusesATie() throws Exception {
    Path f = Files.writeString(dir.resolve("pipeline.yaml"), """
        proxies:
          - {name: a, port: 4000, upstream: {endpoints: ['http://127.0.0.1:9000']}, cache: {}}
          - {name: b, port: 4001, upstream: {endpoints: ['http://127.0.0.1:9000']}}
          - {name: c, port: 4002, upstream: {endpoints: ['http://127.0.0.1:9000']}, cache: {}, capture: {bodyPreview: 1k}}
          - {name: d, port: 4003, upstream: {endpoints: ['http://127.0.0.1:9000']}, retry: {}, circuitBreaker: {}}
        """);
    Result ok = run("filters", "--config", f.toString());
    assertThat(ok.code()).isZero();
    // Resilience acts on attempts, next to the balancer: it is not a request filter.
    assertThat(ok.out()).contains("a: ban -> cache -> upstream").contains("b: ban -> upstream")
        .contains("c: ban -> capture -> cache -> upstream").contains("d: ban -> upstream");

    Path bad = Files.writeString(dir.resolve("override.yaml"), """
        proxies:
          - {name: a, port: 4000, upstream: {endpoints: ['http://127.0.0.1:9000']}, cache: {}, filters: [auth]}
        """);
    Result refused = run("filters", "--config", bad.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("proxies[0].filters: filters: lists 'auth', which this proxy does not have");
  }

  @Test
  void validateAcceptsAGoodFile() throws Exception {
    Path f = Files.writeString(dir.resolve("ok.yaml"), """
        proxies:
          - {name: a, port: 4000, upstream: {endpoints: ['http://127.0.0.1:9000']}}
        """);
    Result r = run("validate", "--config", f.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("OK: " + f + " (1 proxies, standalone)");
  }

  @Test
  void validateAndRunRefuseABadFileListingEveryProblem() throws Exception {
    Path f = Files.writeString(dir.resolve("bad.yaml"), """
        admin: {port: 4000}
        proxies:
          - {name: a, port: 4000, upstream: {endpoints: ['http//nope']}, retries: 3}
        """);
    for (String command : new String[] {"validate", "run"}) {
      Result r = run(command, "--config", f.toString());
      assertThat(r.code()).as(command).isEqualTo(2);
      assertThat(r.err()).contains("invalid config " + f + " (3 problems)")
          .contains("proxies[0].retries: unknown key")
          .contains("proxies[0].upstream.endpoints[0]: 'http//nope' must start with http:// or https://")
          .contains("proxies[0].port: port 4000 is already used by admin.port");
    }
  }

  @Test
  void helpIsEverywhere() {
    assertThat(run("--help").out()).contains("run", "validate", "demo");
    for (String sub : new String[] {"run", "validate", "demo"}) {
      Result r = run(sub, "--help");
      assertThat(r.code()).isZero();
      assertThat(r.out()).startsWith("Usage: harp " + sub);
    }
  }

  @Test
  void aMissingRequiredOptionIsAUsageError() {
    Result r = run("run");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--config=FILE'");
  }
}
