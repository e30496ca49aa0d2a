package dev.harp.audit.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 8-leaf RFC 6962 reference tree of Certificate Transparency, as published by transparency-dev/merkle (commit
 * 417fb0c314750d94e53942e9f92e79b6d35915db): leaf inputs, node hashes and roots from {@code testonly/constants.go}
 * ({@code LeafInputs}, {@code NodeHashes}, {@code RootHashes}, {@code EmptyRootHash}); inclusion and consistency
 * proofs from {@code cmd/proofgen/main.go} ({@code inclusionProofs}, {@code consistencyProofs}, whose leaf numbers
 * count from 1). RFC 9162 keeps RFC 6962's hashing (§2.1.1), so the same values hold.
 */
class ReferenceTreeTest {

  private static final HexFormat HEX = HexFormat.of();

  // testonly/constants.go LeafInputs()
  private static final List<String> LEAF_INPUTS = List.of(
      "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f");

  // testonly/constants.go NodeHashes(): [level][index]
  private static final List<List<String>> NODE_HASHES = List.of(
      List.of("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
          "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
          "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
          "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
      List.of("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
      List.of("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
      List.of("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));

  // testonly/constants.go RootHashes(), by tree size 0..8 (size 0 is EmptyRootHash())
  private static final List<String> ROOTS = List.of(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  record InclusionVector(long leafNumber, long size, List<String> proof) {
  }

  record ConsistencyVector(long size1, long size2, List<String> proof) {
  }

  // cmd/proofgen/main.go inclusionProofs: {leaf number counted from 1, tree size, PATH}
  private static final List<InclusionVector> INCLUSION = List.of(
      new InclusionVector(1, 1, List.of()),
      new InclusionVector(1, 8, List.of(
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
      new InclusionVector(6, 8, List.of(
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
      new InclusionVector(3, 3, List.of(
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
      new InclusionVector(2, 5, List.of(
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));

  // cmd/proofgen/main.go consistencyProofs: {old size, new size, PROOF}
  private static final List<ConsistencyVector> CONSISTENCY = List.of(
      new ConsistencyVector(1, 1, List.of()),
      new ConsistencyVector(1, 8, List.of(
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
      new ConsistencyVector(6, 8, List.of(
          "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
      new ConsistencyVector(2, 5, List.of(
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
      new ConsistencyVector(6, 7, List.of(
          "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

  @Test
  void leafAndNodeHashes() {
    for (int i = 0; i < LEAF_INPUTS.size(); i++) {
      assertThat(hex(Rfc9162.leafHash(HEX.parseHex(LEAF_INPUTS.get(i))))).as("leaf %d", i)
          .isEqualTo(NODE_HASHES.get(0).get(i));
    }
    for (int level = 1; level < NODE_HASHES.size(); level++) {
      List<String> below = NODE_HASHES.get(level - 1);
      for (int i = 0; i < NODE_HASHES.get(level).size(); i++) {
        byte[] node = Rfc9162.nodeHash(HEX.parseHex(below.get(2 * i)), HEX.parseHex(below.get(2 * i + 1)));
        assertThat(hex(node)).as("level %d node %d", level, i).isEqualTo(NODE_HASHES.get(level).get(i));
      }
    }
    assertThat(hex(Rfc9162.emptyRoot())).isEqualTo(ROOTS.get(0));
  }

  @Test
  void rootsOfEverySize() {
    MerkleLog log = referenceLog();
    for (int size = 0; size <= 8; size++) {
      assertThat(hex(log.root(size))).as("size %d", size).isEqualTo(ROOTS.get(size));
    }
    assertThat(hex(log.root())).isEqualTo(ROOTS.get(8));
  }

  @Test
  void inclusionProofsAreTheReferenceOnesAndVerify() {
    MerkleLog log = referenceLog();
    for (InclusionVector vector : INCLUSION) {
      long index = vector.leafNumber() - 1;
      List<byte[]> proof = log.inclusionProof(index, vector.size());
      assertThat(proof.stream().map(ReferenceTreeTest::hex).toList()).as("%s", vector).isEqualTo(vector.proof());
      byte[] leaf = HEX.parseHex(NODE_HASHES.get(0).get((int) index));
      byte[] root = HEX.parseHex(ROOTS.get((int) vector.size()));
      assertThatCode(() -> MerkleProofs.verifyInclusion(index, vector.size(), leaf, unhex(vector.proof()), root))
          .as("%s", vector).doesNotThrowAnyException();
    }
  }

  @Test
  void consistencyProofsAreTheReferenceOnesAndVerify() {
    MerkleLog log = referenceLog();
    for (ConsistencyVector vector : CONSISTENCY) {
      List<byte[]> proof = log.consistencyProof(vector.size1(), vector.size2());
      assertThat(proof.stream().map(ReferenceTreeTest::hex).toList()).as("%s", vector).isEqualTo(vector.proof());
      byte[] oldRoot = HEX.parseHex(ROOTS.get((int) vector.size1()));
      byte[] newRoot = HEX.parseHex(ROOTS.get((int) vector.size2()));
      assertThatCode(() -> MerkleProofs.verifyConsistency(vector.size1(), vector.size2(), oldRoot, newRoot,
          unhex(vector.proof()))).as("%s", vector).doesNotThrowAnyException();
    }
  }

  private static MerkleLog referenceLog() {
    MemoryLeaves leaves = new MemoryLeaves();
    MerkleLog log = new MerkleLog(leaves);
    LEAF_INPUTS.forEach(input -> leaves.add(log, Rfc9162.leafHash(HEX.parseHex(input))));
    return log;
  }

  private static List<byte[]> unhex(List<String> hashes) {
    return hashes.stream().map(HEX::parseHex).toList();
  }

  private static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
