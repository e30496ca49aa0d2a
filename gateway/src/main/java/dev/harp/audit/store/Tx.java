package dev.harp.audit.store;

import java.sql.Connection;
import java.sql.SQLException;

/** One transaction on the writer's connection: committed when the work returns, rolled back when it throws. */
final class Tx {

  private Tx() {
  }

  static <T> T run(Connection c, Sql<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.apply(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
