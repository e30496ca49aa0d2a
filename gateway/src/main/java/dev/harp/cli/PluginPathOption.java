package dev.harp.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --plugin-path DIR}: more directories of filter plugin jars, beside the {@code plugins/} of the config. */
final class PluginPathOption {

  @Option(names = "--plugin-path", paramLabel = "DIR", split = ",",
      description = "Directory of filter plugin jars (repeatable, or comma-separated); the plugins/ directory "
          + "beside the config file is always searched")
  List<Path> dirs = new ArrayList<>();
}
