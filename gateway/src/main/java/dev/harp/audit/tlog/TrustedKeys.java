package dev.harp.audit.tlog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys file of {@code harp audit verify}: one verifier key a line (a log key, type 0x01, or a cosigner key, type
 * 0x04), {@code quorum <k>} once at most (1 when absent), {@code #} comments and blank lines. A checkpoint is trusted
 * when the keys of at least k distinct names verify on it.
 */
final class TrustedKeys {

  private final Map<String, NoteVerifier> byNameAndId;
  private final Set<String> names;
  private final int quorum;

  private TrustedKeys(Map<String, NoteVerifier> byNameAndId, Set<String> names, int quorum) {
    this.byNameAndId = byNameAndId;
    this.names = names;
    this.quorum = quorum;
  }

  static TrustedKeys parse(String keysFile) throws ProofException {
    Map<String, NoteVerifier> keys = new LinkedHashMap<>();
    Integer quorum = null;
    List<String> lines = keysFile.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      String where = "keys file line " + (i + 1);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.split("\\s+")[0].equals("quorum")) {
        if (quorum != null) {
          throw new ProofException(where + ": a second quorum");
        }
        quorum = parseQuorum(line, where);
        continue;
      }
      NoteVerifier key;
      try {
        key = NoteVerifier.parse(line);
      } catch (ProofException e) {
        throw new ProofException(where + ": " + e.getMessage());
      }
      NoteVerifier earlier = keys.putIfAbsent(id(key.name(), key.keyId()), key);
      if (earlier != null && !earlier.equals(key)) {
        throw new ProofException(where + ": two keys named " + key.name() + " share key id "
            + NoteKey.hex(key.keyId()));
      }
    }
    Set<String> names = new TreeSet<>();
    keys.values().forEach(key -> names.add(key.name()));
    int required = quorum == null ? 1 : quorum;
    if (names.size() < required) {
      throw new ProofException("keys file: quorum " + required + " but " + names.size() + " trusted key names");
    }
    return new TrustedKeys(keys, names, required);
  }

  /** The trusted key a signature line claims, if any: the name and the key id both have to match. */
  Optional<NoteVerifier> find(NoteSignature signature) {
    return Optional.ofNullable(byNameAndId.get(id(signature.name(), signature.keyId())));
  }

  int quorum() {
    return quorum;
  }

  Set<String> names() {
    return names;
  }

  private static int parseQuorum(String line, String where) throws ProofException {
    String[] words = line.split("\\s+");
    try {
      if (words.length == 2 && words[0].equals("quorum") && Integer.parseInt(words[1]) >= 1) {
        return Integer.parseInt(words[1]);
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new ProofException(where + ": expected 'quorum <k>' with k at least 1");
  }

  private static String id(String name, int keyId) {
    return name + "+" + NoteKey.hex(keyId);
  }

  @Override
  public String toString() {
    return "quorum " + quorum + " of " + names;
  }
}
