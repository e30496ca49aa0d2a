package dev.harp.audit;

import dev.harp.audit.tlog.NoteSigner;
import dev.harp.audit.tlog.ProofException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A node's two Ed25519 keys, made at its first start and kept in {@code <dataDir>/keys/} (files 0600): the log key
 * signs the node's own checkpoints, the witness key cosigns the others' (C2SP asks that a witness key be used for
 * nothing else). Blocking file I/O: call from a worker.
 *
 * @param origin the log's origin line, {@code harp.audit/<cluster>/<node>}, also the log key's name
 */
record AuditKeys(String origin, NoteSigner log, NoteSigner witness) {

  static AuditKeys loadOrCreate(Path dataDir, String cluster, String node) {
    String id = cluster + "/" + safe(node);
    String origin = "harp.audit/" + id;
    Path dir = dataDir.resolve("keys");
    NoteSigner log = loadOrCreate(dir.resolve("log.key"), origin, NoteSigner.Role.LOG);
    NoteSigner witness = loadOrCreate(dir.resolve("witness.key"), "harp.witness/" + id, NoteSigner.Role.COSIGNER);
    return new AuditKeys(origin, log, witness);
  }

  /** Note key names hold no spaces or '+': a default node name is host:port, which is fine; anything else odd is not. */
  static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._:-]", "_");
  }

  private static NoteSigner loadOrCreate(Path file, String name, NoteSigner.Role role) {
    try {
      if (Files.exists(file)) {
        NoteSigner signer = NoteSigner.parse(Files.readString(file, StandardCharsets.US_ASCII).trim());
        if (!signer.name().equals(name) || signer.role() != role) {
          throw new IllegalStateException(file + " holds the key of '" + signer.name() + "' (" + signer.role()
              + "), not of '" + name + "' (" + role + "): a data directory belongs to one node");
        }
        return signer;
      }
      Files.createDirectories(file.getParent());
      NoteSigner signer = NoteSigner.generate(name, role);
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file); // not a POSIX file system: the directory's own protection has to do
      }
      Files.writeString(file, signer.encode() + "\n", StandardCharsets.US_ASCII);
      return signer;
    } catch (FileAlreadyExistsException e) {
      return loadOrCreate(file, name, role); // another start raced this one: read what it wrote
    } catch (IOException e) {
      throw new UncheckedIOException("audit key " + file + ": " + e.getMessage(), e);
    } catch (ProofException e) {
      throw new IllegalStateException("audit key " + file + " cannot be read: " + e.getMessage(), e);
    }
  }
}
