package dev.harp.audit.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every proof a MerkleLog gives for trees of 1..300 leaves (crossing the 256-leaf tile, where it switches from
 * recomputing to remembered subtrees) verifies against a Merkle tree hash computed here from RFC 9162 §2.1.1 alone,
 * and every tampered proof, leaf or root fails with a message naming the index or the sizes.
 */
class MerkleLogPropertyTest {

  private static final int MAX_SIZE = 300;

  private static final List<byte[]> LEAVES = new ArrayList<>();
  private static final List<byte[]> NAIVE_ROOTS = new ArrayList<>();
  private static MerkleLog log;

  @BeforeAll
  static void buildLog() {
    MemoryLeaves store = new MemoryLeaves();
    log = new MerkleLog(store);
    for (int i = 0; i < MAX_SIZE; i++) {
      byte[] leaf = Rfc9162.leafHash(("record " + i).getBytes(StandardCharsets.UTF_8));
      LEAVES.add(leaf);
      store.add(log, leaf);
    }
    for (int size = 0; size <= MAX_SIZE; size++) {
      NAIVE_ROOTS.add(naiveRoot(LEAVES.subList(0, size)));
    }
  }

  @Test
  void rootsMatchTheNaiveTreeHash() {
    assertThat(log.size()).isEqualTo(MAX_SIZE);
    for (int size = 0; size <= MAX_SIZE; size++) {
      assertThat(log.root(size)).as("size %d", size).isEqualTo(NAIVE_ROOTS.get(size));
    }
  }

  @Test
  void everyInclusionProofVerifiesAndEveryTamperingFails() throws ProofException {
    for (int size = 1; size <= MAX_SIZE; size++) {
      byte[] root = NAIVE_ROOTS.get(size);
      for (int index = 0; index < size; index++) {
        List<byte[]> proof = log.inclusionProof(index, size);
        MerkleProofs.verifyInclusion(index, size, LEAVES.get(index), proof, root);
        assertInclusionTamperingFails(index, size, proof, root);
      }
    }
  }

  @Test
  void everyConsistencyProofVerifiesAndEveryTamperingFails() throws ProofException {
    for (int newSize = 1; newSize <= MAX_SIZE; newSize++) {
      for (int oldSize = 0; oldSize <= newSize; oldSize++) {
        List<byte[]> proof = log.consistencyProof(oldSize, newSize);
        MerkleProofs.verifyConsistency(oldSize, newSize, NAIVE_ROOTS.get(oldSize), NAIVE_ROOTS.get(newSize), proof);
        assertConsistencyTamperingFails(oldSize, newSize, proof);
      }
    }
  }

  @Test
  void aCallerScribblingOnAProofLeavesTheLogAlone() {
    MemoryLeaves store = new MemoryLeaves();
    MerkleLog own = new MerkleLog(store);
    LEAVES.forEach(leaf -> store.add(own, leaf.clone()));

    // Leaf 298's path starts with leaf 299 itself, from the partial tile the root is hashed from.
    own.inclusionProof(298, MAX_SIZE).forEach(hash -> Arrays.fill(hash, (byte) 0));
    own.inclusionProof(0, MAX_SIZE).forEach(hash -> Arrays.fill(hash, (byte) 0));
    own.consistencyProof(256, MAX_SIZE).forEach(hash -> Arrays.fill(hash, (byte) 0));

    assertThat(own.root()).isEqualTo(NAIVE_ROOTS.get(MAX_SIZE));
  }

  @Test
  void proofsOutsideTheLogAreRefused() {
    assertThatThrownBy(() -> log.inclusionProof(MAX_SIZE, MAX_SIZE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.inclusionProof(0, MAX_SIZE + 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.consistencyProof(5, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.root(MAX_SIZE + 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.root(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aProofReadsAtMostTwoTilesAndAnAppendOnlyTheTileItCompletes() {
    MemoryLeaves store = new MemoryLeaves();
    MerkleLog big = new MerkleLog(store);
    int size = 9 * MerkleLog.TILE_LEAVES + 100;
    for (int i = 0; i < size; i++) {
      store.add(big, Rfc9162.leafHash(new byte[] {(byte) i, (byte) (i >> 8)}));
    }
    assertThat(store.reads()).as("one read per completed tile").isEqualTo(9);
    assertThat(store.widestRead()).isEqualTo(MerkleLog.TILE_LEAVES - 1);

    byte[] root = naiveRoot(store.all());
    Random random = new Random(7);
    for (int probe = 0; probe < 200; probe++) {
      long treeSize = 1 + random.nextInt(size);
      long index = random.nextInt((int) treeSize);
      store.resetCounts();
      big.inclusionProof(index, treeSize);
      assertThat(store.reads()).as("inclusion %d in %d", index, treeSize).isLessThanOrEqualTo(2);
      store.resetCounts();
      big.consistencyProof(index, treeSize);
      assertThat(store.reads()).as("consistency %d to %d", index, treeSize).isLessThanOrEqualTo(2);
      assertThat(store.widestRead()).isLessThanOrEqualTo(MerkleLog.TILE_LEAVES);
    }
    store.resetCounts();
    assertThat(big.root()).isEqualTo(root);
    assertThat(store.reads()).as("the whole root needs only the last, partial tile").isEqualTo(1);
  }

  @Test
  @Timeout(60)
  void readersSeeConsistentTreesWhileAWriterAppends() {
    MemoryLeaves store = new MemoryLeaves();
    MerkleLog shared = new MerkleLog(store);
    int total = 3 * MerkleLog.TILE_LEAVES + 10;
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < total; i++) {
        store.add(shared, Rfc9162.leafHash(("concurrent " + i).getBytes(StandardCharsets.UTF_8)));
      }
    });
    Random random = new Random(11);
    for (int reads = 0; !writer.isDone() || reads < 500; reads++) {
      long size = shared.size();
      if (size == 0) {
        continue;
      }
      long index = random.nextInt((int) size);
      List<byte[]> leaves = store.all();
      byte[] root = shared.root(size);
      assertThat(root).isEqualTo(naiveRoot(leaves.subList(0, (int) size)));
      try {
        MerkleProofs.verifyInclusion(index, size, leaves.get((int) index), shared.inclusionProof(index, size), root);
      } catch (ProofException e) {
        fail("while appending: " + e.getMessage());
      }
    }
    writer.join();
  }

  private static void assertInclusionTamperingFails(int index, int size, List<byte[]> proof, byte[] root) {
    String names = "index " + index + " in tree size " + size;
    byte[] leaf = LEAVES.get(index);
    for (int i = 0; i < proof.size(); i++) {
      List<byte[]> tampered = withFlippedBit(proof, i);
      assertFails(() -> MerkleProofs.verifyInclusion(index, size, leaf, tampered, root), names);
    }
    assertFails(() -> MerkleProofs.verifyInclusion(index, size, flipped(leaf), proof, root), names);
    assertFails(() -> MerkleProofs.verifyInclusion(index, size, leaf, proof, flipped(root)), names);
    assertFails(() -> MerkleProofs.verifyInclusion(index, size, leaf, appended(proof, root), root), names);
    if (!proof.isEmpty()) {
      assertFails(() -> MerkleProofs.verifyInclusion(index, size, leaf, proof.subList(0, proof.size() - 1), root),
          names);
    }
    int neighbour = index ^ 1;
    if (neighbour < size) {
      assertFails(() -> MerkleProofs.verifyInclusion(neighbour, size, leaf, proof, root),
          "index " + neighbour + " in tree size " + size);
    }
  }

  private static void assertConsistencyTamperingFails(int oldSize, int newSize, List<byte[]> proof) {
    String names = "from size " + oldSize + " to size " + newSize;
    byte[] oldRoot = NAIVE_ROOTS.get(oldSize);
    byte[] newRoot = NAIVE_ROOTS.get(newSize);
    for (int i = 0; i < proof.size(); i++) {
      List<byte[]> tampered = withFlippedBit(proof, i);
      assertFails(() -> MerkleProofs.verifyConsistency(oldSize, newSize, oldRoot, newRoot, tampered), names);
    }
    assertFails(() -> MerkleProofs.verifyConsistency(oldSize, newSize, flipped(oldRoot), newRoot, proof), names);
    if (oldSize > 0) {
      // (Every tree extends the empty one, so from size 0 the new root is not the proof's business.)
      assertFails(() -> MerkleProofs.verifyConsistency(oldSize, newSize, oldRoot, flipped(newRoot), proof), names);
    }
    assertFails(() -> MerkleProofs.verifyConsistency(oldSize, newSize, oldRoot, newRoot, appended(proof, newRoot)),
        names);
    if (!proof.isEmpty()) {
      List<byte[]> truncated = proof.subList(0, proof.size() - 1);
      assertFails(() -> MerkleProofs.verifyConsistency(oldSize, newSize, oldRoot, newRoot, truncated), names);
    }
  }

  private static void assertFails(ThrowingCallable verification, String names) {
    assertThatThrownBy(verification).isInstanceOf(ProofException.class).hasMessageContaining(names);
  }

  private static List<byte[]> withFlippedBit(List<byte[]> proof, int which) {
    List<byte[]> tampered = new ArrayList<>(proof);
    tampered.set(which, flipped(proof.get(which)));
    return tampered;
  }

  private static List<byte[]> appended(List<byte[]> proof, byte[] extra) {
    List<byte[]> longer = new ArrayList<>(proof);
    longer.add(extra);
    return longer;
  }

  private static byte[] flipped(byte[] hash) {
    byte[] copy = hash.clone();
    copy[copy.length / 2] ^= 0x10;
    return copy;
  }

  /** MTH straight from RFC 9162 §2.1.1, sharing nothing with the code under test but the two hash functions. */
  private static byte[] naiveRoot(List<byte[]> leaves) {
    int n = leaves.size();
    if (n == 0) {
      return sha256(new byte[0]);
    }
    if (n == 1) {
      return leaves.get(0);
    }
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    byte[] left = naiveRoot(leaves.subList(0, k));
    byte[] right = naiveRoot(leaves.subList(k, n));
    byte[] node = new byte[1 + left.length + right.length];
    node[0] = 0x01;
    System.arraycopy(left, 0, node, 1, left.length);
    System.arraycopy(right, 0, node, 1 + left.length, right.length);
    return sha256(node);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
