package dev.harp.rules;

import dev.cel.runtime.Program;
import dev.harp.spi.Failure;

import java.util.List;
import java.util.Map;

/**
 * One validated entry of a proxy's {@code rules:} list: a compiled CEL condition and what to do when it holds.
 *
 * @param name    unique within the proxy; the {@code rule} label of its counters
 * @param mode    whether a match acts ({@code enforce}) or is only counted ({@code shadow})
 * @param when    the compiled condition
 * @param action  what a match does
 */
record Rule(String name, Mode mode, Program when, Action action) {

  enum Mode {
    ENFORCE, SHADOW;

    String label() {
      return this == ENFORCE ? "enforce" : "shadow";
    }
  }

  /** What a matching rule does: deny ends the exchange; header edits apply and evaluation goes on. */
  sealed interface Action {
  }

  /** Answers with the failure (problem+json); later rules are not evaluated. */
  record Deny(Failure failure) implements Action {
  }

  /**
   * Header edits; request edits reach the upstream, response fields go on every answer of the exchange.
   *
   * @param setRequest     fields set (replaced) on the upstream request
   * @param removeRequest  fields removed from the upstream request, before the sets
   * @param setResponse    fields set on the client's response
   */
  record EditHeaders(Map<String, String> setRequest, List<String> removeRequest, Map<String, String> setResponse)
      implements Action {
  }
}
