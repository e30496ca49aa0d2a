package dev.harp.cli;

import dev.harp.audit.tlog.BundleVerifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code harp audit}: receipts, exports and their offline verification. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "The audit trail: receipts and exports from a running node, and their offline verification.",
    subcommands = {AuditCommand.Proof.class, AuditCommand.Export.class, AuditCommand.Keys.class,
        AuditCommand.Verify.class})
final class AuditCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "proof", mixinStandardHelpOptions = true,
      description = {"Print a self-contained receipt of one transaction: the record, its inclusion proof and a final",
          "cosigned checkpoint (ask the node that served it). Check it with 'harp audit verify'."})
  static final class Proof implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<transaction>", description = "Request id (X-Request-Id), or #<log index>")
    String transaction;

    @Mixin
    AdminClientOptions admin;

    @Override
    public Integer call() {
      String query = transaction.startsWith("#") ? "index=" + transaction.substring(1)
          : "requestId=" + java.net.URLEncoder.encode(transaction, StandardCharsets.UTF_8);
      return admin.get("/api/audit/receipt?" + query);
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a bundle of a node's log for a time range (all of it by default).")
  static final class Export implements Callable<Integer> {

    @Option(names = "--from", description = "Start, epoch milliseconds (default: the beginning)")
    Long from;

    @Option(names = "--to", description = "End, epoch milliseconds (default: now)")
    Long to;

    @Mixin
    AdminClientOptions admin;

    @Override
    public Integer call() {
      return admin.get("/api/audit/export?from=" + (from == null ? 0 : from) + "&to="
          + (to == null ? System.currentTimeMillis() : to));
    }
  }

  @Command(name = "keys", mixinStandardHelpOptions = true,
      description = {"Print the cluster's trusted audit keys and quorum as a keys file for 'harp audit verify'.",
          "Keep a copy somewhere the cluster cannot write: a verification is only as good as its keys."})
  static final class Keys implements Callable<Integer> {

    @Mixin
    AdminClientOptions admin;

    @Override
    public Integer call() {
      return admin.get("/api/audit/keys");
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Check a bundle or receipt with no cluster running: every inclusion and consistency proof,",
          "and that each checkpoint carries the quorum of valid signatures from trusted keys.",
          "Exit 0 when it holds; 1 naming the first thing that fails."})
  static final class Verify implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<bundle|receipt>")
    Path bundle;

    @Option(names = "--keys", required = true, description = "Keys file: verifier keys, one per line, and 'quorum <k>'")
    Path keys;

    @Override
    public Integer call() {
      return verify(bundle, keys, System.out, System.err);
    }

    static int verify(Path bundle, Path keys, PrintStream out, PrintStream err) {
      BundleVerifier.Result result = BundleVerifier.verify(bundle, keys);
      if (result.ok()) {
        out.println("OK: " + result.message());
        return 0;
      }
      err.println("FAILED: " + result.message());
      return 1;
    }
  }
}
