package dev.harp.cli;

import dev.harp.config.HarpConfig;
import picocli.CommandLine.Command;


@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a config file (with environment overrides applied) and list every problem in it.",
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:the config is valid", "2:the config has problems"})
final class ValidateCommand extends ConfigCommand {

  @Override
  int run(HarpConfig c) {
    System.out.println("OK: " + configFile.config + " (" + c.proxies().size() + " proxies"
        + c.cluster().map(cl -> ", cluster '" + cl.name() + "' of " + cl.members().size() + " members")
            .orElse(", standalone") + ")");
    return 0;
  }
}
