package dev.harp.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects every problem found in a config so the user sees them all at once, each with its key path. */
public final class ConfigProblems {

  private final List<String> problems = new ArrayList<>();

  public void add(String path, String reason) {
    problems.add((path == null || path.isEmpty() ? "(root)" : path) + ": " + reason);
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  public List<String> list() {
    return Collections.unmodifiableList(problems);
  }

  /** Throws {@link InvalidConfigException} listing every problem, if there is any. */
  public void throwIfAny(String source) {
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(source, List.copyOf(problems));
    }
  }
}
