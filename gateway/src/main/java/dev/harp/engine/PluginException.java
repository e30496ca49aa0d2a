package dev.harp.engine;

/** A plugin (or a filter factory) could not be loaded: the node does not start, and says which and why. */
public final class PluginException extends RuntimeException {

  private final String plugin;

  public PluginException(String plugin, String reason) {
    super("plugin " + plugin + ": " + reason);
    this.plugin = plugin;
  }

  public PluginException(String plugin, String reason, Throwable cause) {
    super("plugin " + plugin + ": " + reason, cause);
    this.plugin = plugin;
  }

  /** The jar, directory or factory class the problem is about. */
  public String plugin() {
    return plugin;
  }
}
