/**
 * Transparency-log primitives, free of Vert.x and storage: RFC 9162 Merkle hashing and proofs, C2SP
 * {@code tlog-checkpoint}, {@code signed-note} with Ed25519, and {@code tlog-cosignature/v1}. The audit store keeps a
 * {@link dev.harp.audit.tlog.MerkleLog} over its records; nodes sign {@link dev.harp.audit.tlog.Checkpoint}s and
 * cosign each other's; {@code harp audit verify} checks bundles with these classes alone
 * ({@link dev.harp.audit.tlog.BundleVerifier}).
 */
package dev.harp.audit.tlog;
