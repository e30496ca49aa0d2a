package dev.harp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code harp}: the command line. Kept free of loggers so {@link LogSetup} can choose the log format before the
 * first logger exists.
 */
@Command(name = "harp", mixinStandardHelpOptions = true, versionProvider = HarpCli.Version.class,
    description = "HARP: a clustered API runtime proxy (Vert.x + Hazelcast).",
    subcommands = {RunCommand.class, ValidateCommand.class, FiltersCommand.class, DemoCommand.class, HashPasswordCommand.class,
        NewTokenCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
public final class HarpCli implements Runnable {

  /** Set by commands that leave a node running: main must then return instead of exiting. */
  static volatile boolean serving;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    LogSetup.configure(args, System.getenv());
    int code = new CommandLine(new HarpCli()).execute(args);
    if (code != 0 || !serving) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = HarpCli.class.getPackage().getImplementationVersion();
      return new String[] {"harp " + (v == null ? "dev" : v)};
    }
  }
}
