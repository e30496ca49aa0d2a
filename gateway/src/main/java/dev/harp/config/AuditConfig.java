package dev.harp.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The node's audit trail (its top-level {@code audit:} block; absent = off). See the README's "Audit" section.
 *
 * @param dataDir            where the store ({@code audit.db}) and the node's keys ({@code keys/}) live
 * @param quorum             distinct cluster keys (the log's own signature included) that make a checkpoint final
 * @param checkpointInterval how often the node signs a checkpoint of its log and asks the others to cosign it
 * @param commitWindow       longest a record waits in the writer's batch before its commit
 * @param queue              records waiting for the writer; beyond it records are shed, counted
 * @param retainFor          records older than this are pruned (their leaf hashes stay: the log never shrinks)
 * @param maxSize            the store's size beyond which the oldest records are pruned
 * @param witnessTimeout     how long a cosignature request may take
 * @param trustedKeys        verifier keys pinned in config; empty: trust the keys nodes publish in the cluster, the
 *                           first one seen per node (trust on first use)
 */
public record AuditConfig(Path dataDir, int quorum, Duration checkpointInterval, Duration commitWindow, int queue,
                          Duration retainFor, long maxSize, Duration witnessTimeout, List<String> trustedKeys) {

  public AuditConfig {
    trustedKeys = List.copyOf(trustedKeys);
  }
}
