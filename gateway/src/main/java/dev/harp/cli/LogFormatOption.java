package dev.harp.cli;

import picocli.CommandLine.Option;

/** Declares {@code --log-format} for help and validation; {@link LogSetup} reads it before picocli runs. */
final class LogFormatOption {

  enum Format { text, json }

  @Option(names = "--log-format", description = "Log lines as readable text (default) or one JSON object a line: "
      + "${COMPLETION-CANDIDATES}. Also HARP_LOG_FORMAT.")
  Format format = Format.text;
}
