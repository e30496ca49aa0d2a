package dev.harp.ratelimit;

import java.util.function.Consumer;

/** Decides one request for one key; called on the request's event loop, answers on it (now or later). */
interface Limiter {

  void decide(String key, Consumer<Decision> then);
}
