package dev.harp.cli;

import dev.harp.config.HarpConfig;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** A command that reads a config first: an invalid one exits 2 after every problem was printed to stderr. */
abstract class ConfigCommand implements Callable<Integer> {

  static final int INVALID_CONFIG = 2;

  @Mixin
  ConfigFileOptions configFile;

  @Override
  public final Integer call() throws Exception {
    var config = configFile.loadOrReport();
    return config.isPresent() ? run(config.get()) : INVALID_CONFIG;
  }

  /** Runs the command on a valid config; returns the exit code. */
  abstract int run(HarpConfig config) throws Exception;
}
