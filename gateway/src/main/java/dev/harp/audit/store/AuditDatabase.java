package dev.harp.audit.store;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQLite file {@code <dataDir>/audit.db}: its connections and its schema (docs/audit-record.md shows it).
 * <p>
 * WAL with {@code synchronous=NORMAL}: a commit appends to the WAL before it returns, so committed records survive the
 * process being killed (kill -9, an OOM kill); only an OS crash or power loss can lose the last commits (the WAL is
 * fsynced at checkpoints, not at every commit). Checkpoint saves are the exception: they commit with
 * {@code synchronous=FULL} (see {@link CheckpointTable}). WAL also lets readers (searches, proofs) run beside the
 * writer.
 */
final class AuditDatabase {

  static final String FILE = "audit.db";
  static final int SCHEMA_VERSION = 1;
  static final int BUSY_TIMEOUT_MS = 5_000;

  private static final String[] SCHEMA = {
      // Narrow summary rows: searches and counts scan these, never the record text.
      """
      CREATE TABLE records (
        idx INTEGER PRIMARY KEY, ts INTEGER NOT NULL, node TEXT, proxy TEXT, method TEXT, path TEXT,
        status INTEGER NOT NULL, failure TEXT, request_id TEXT, upstream TEXT, duration_us INTEGER NOT NULL,
        bytes_out INTEGER NOT NULL, request_sha256 TEXT, response_sha256 TEXT)""",
      "CREATE INDEX records_ts ON records(ts)",
      "CREATE INDEX records_request_id ON records(request_id)",
      // The canonical text, verbatim: the leaf data, what bundles carry and what detail() parses.
      "CREATE TABLE record_text (idx INTEGER PRIMARY KEY, canonical TEXT NOT NULL)",
      // One row per leaf, never pruned: proofs for retained records need every leaf of the tree.
      "CREATE TABLE leaves (idx INTEGER PRIMARY KEY, hash BLOB NOT NULL)",
      // Captured body bytes, once per distinct content; refs counts the record sides that point at them.
      "CREATE TABLE blobs (sha256 TEXT NOT NULL UNIQUE, data BLOB NOT NULL, refs INTEGER NOT NULL)",
      // Contentless: the words are indexed, the text is not stored twice; rowid = idx.
      "CREATE VIRTUAL TABLE records_fts USING fts5(path, headers, body, content='', contentless_delete=1)",
      """
      CREATE TABLE checkpoints (
        size INTEGER PRIMARY KEY, note TEXT NOT NULL, final INTEGER NOT NULL, saved_at INTEGER NOT NULL)""",
      """
      CREATE TABLE witnessed (
        origin TEXT PRIMARY KEY, size INTEGER NOT NULL, root BLOB NOT NULL, note TEXT NOT NULL,
        saved_at INTEGER NOT NULL)""",
      "PRAGMA user_version = " + SCHEMA_VERSION,
  };

  private AuditDatabase() {
  }

  static String url(Path dataDir) {
    return "jdbc:sqlite:" + dataDir.resolve(FILE).toAbsolutePath();
  }

  /** The writer's connection; creates the schema in a new file, refuses a file from a newer schema. */
  static Connection openWriter(Path dataDir) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    // Indexes are ours: without this the driver runs 'SELECT last_insert_rowid()' after every insert (a statement
    // prepared each time, a fifth of the writer's work in a profile).
    config.setGetGeneratedKeys(false);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    Connection c = DriverManager.getConnection(url(dataDir), config.toProperties());
    try {
      int version = userVersion(c);
      if (version == 0) {
        createSchema(c);
      } else if (version != SCHEMA_VERSION) {
        throw new AuditStoreException(dataDir.resolve(FILE) + " has audit schema " + version + "; this HARP knows "
            + SCHEMA_VERSION);
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** A read-only connection (searches, proofs' leaf reads, exports); opened after the writer made the schema. */
  static Connection openReader(Path dataDir) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    Connection c = DriverManager.getConnection(url(dataDir), config.toProperties());
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA query_only = 1");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static int userVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static void createSchema(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String ddl : SCHEMA) {
        s.execute(ddl);
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
