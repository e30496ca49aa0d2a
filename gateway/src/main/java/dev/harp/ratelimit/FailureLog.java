package dev.harp.ratelimit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning when a policy's cluster decisions start failing and a summary when they recover (how long, how many fell
 * back), instead of a line per request: an outage can fail thousands of decisions a second. A cluster that flaps
 * (a failover, migrations) gets at most one warning per {@link #QUIET_MILLIS}; the metrics count every decision.
 * The success path costs one volatile read.
 */
final class FailureLog {

  private static final Logger LOG = LoggerFactory.getLogger("harp.ratelimit");
  static final long QUIET_MILLIS = 10_000;

  private final String proxy;
  private final String policy;
  private final OnClusterFailure action;
  /** Epoch ms of the first failure of the current outage, 0 when healthy. */
  private final AtomicLong failingSince = new AtomicLong();
  private final AtomicLong lastWarning = new AtomicLong();
  private final AtomicLong fellBack = new AtomicLong();

  FailureLog(String proxy, String policy, OnClusterFailure action) {
    this.proxy = proxy;
    this.policy = policy;
    this.action = action;
  }

  void failed(String reason, int decisions) {
    fellBack.addAndGet(decisions);
    long now = System.currentTimeMillis();
    if (failingSince.get() != 0 || !failingSince.compareAndSet(0, now)) {
      return;
    }
    long last = lastWarning.get();
    if (now - last >= QUIET_MILLIS && lastWarning.compareAndSet(last, now)) {
      LOG.atWarn().addKeyValue("proxy", proxy).addKeyValue("policy", policy)
          .log("rate-limit decisions cannot reach the cluster ({}); onClusterFailure: {} decides until it recovers",
              reason, action.name().toLowerCase());
    }
  }

  void succeeded() {
    long since = failingSince.get();
    if (since == 0 || !failingSince.compareAndSet(since, 0)) {
      return;
    }
    long now = System.currentTimeMillis();
    if (lastWarning.get() >= since) {
      LOG.atInfo().addKeyValue("proxy", proxy).addKeyValue("policy", policy)
          .log("rate-limit decisions reach the cluster again after {} ms; {} decisions fell back since the warning",
              now - since, fellBack.getAndSet(0));
    }
  }
}
