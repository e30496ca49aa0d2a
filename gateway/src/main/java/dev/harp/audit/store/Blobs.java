package dev.harp.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads captured body bytes by their SHA-256 (lower-case hex). */
final class Blobs {

  private Blobs() {
  }

  /** The bytes, or null when no such blob is stored. */
  static byte[] read(Connection c, String sha256) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT data FROM blobs WHERE sha256 = ?")) {
      ps.setString(1, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        byte[] data = rs.getBytes(1);
        return data == null ? new byte[0] : data; // an empty blob may come back as null
      }
    }
  }
}
