package dev.harp.audit;

/**
 * What someone with shell access to a node would run in {@code sqlite3} against its {@code audit.db} to rewrite
 * history quietly: the record text is what is signed (table {@code record_text}); the summary row beside it is only
 * an index for searches.
 */
final class TamperSql {

  private TamperSql() {
  }

  static String edit(long index, String from, String to) {
    return "UPDATE record_text SET canonical = replace(canonical, '%s', '%s') WHERE idx = %d;"
        .formatted(from, to, index);
  }

  static String delete(long index) {
    return "DELETE FROM record_text WHERE idx = %d; DELETE FROM records WHERE idx = %d;".formatted(index, index);
  }

  static String swap(long a, long b) {
    return ("UPDATE record_text SET canonical = CASE idx WHEN %d THEN (SELECT canonical FROM record_text WHERE idx = %d)"
        + " ELSE (SELECT canonical FROM record_text WHERE idx = %d) END WHERE idx IN (%d, %d);")
        .formatted(a, b, a, a, b);
  }
}
