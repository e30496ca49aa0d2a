package dev.harp.config;

import java.util.List;

/** A config that must not start a node; carries every problem as "key.path: reason". */
public final class InvalidConfigException extends RuntimeException {

  private final List<String> problems;

  public InvalidConfigException(String source, List<String> problems) {
    super(render(source, problems));
    this.problems = problems;
  }

  public List<String> problems() {
    return problems;
  }

  private static String render(String source, List<String> problems) {
    StringBuilder sb = new StringBuilder("invalid config ").append(source).append(" (")
        .append(problems.size()).append(problems.size() == 1 ? " problem)" : " problems)");
    for (String p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
