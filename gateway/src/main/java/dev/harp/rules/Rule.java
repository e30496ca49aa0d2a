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

  /** What a matching rule does: deny ends the exchange; the other actions apply and evaluation goes on. */
  sealed interface Action {
  }

  /** Answers with the failure (problem+json); later rules are not evaluated. */
  record Deny(Failure failure) implements Action {
  }

  /**
   * Any combination of header edits, a pool and a rate-limit key (at least one). Request edits reach the upstream,
   * response fields go on every answer of the exchange; the pool and the key are set by the first enforced match
   * that has one.
   *
   * @param setRequest     fields set (replaced) on the upstream request
   * @param removeRequest  fields removed from the upstream request, before the sets
   * @param setResponse    fields set on the client's response
   * @param pool           the {@code upstream.pools} entry the exchange goes to, or null
   * @param rateLimitKey   gives the exchange's key for {@code by: rule} (a string), or null
   */
  record Modify(Map<String, String> setRequest, List<String> removeRequest, Map<String, String> setResponse,
                String pool, Program rateLimitKey) implements Action {
  }
}
