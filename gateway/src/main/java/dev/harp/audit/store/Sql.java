package dev.harp.audit.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on one connection; SQLException is turned into {@link AuditStoreException} by whoever runs it. */
@FunctionalInterface
interface Sql<T> {

  T apply(Connection c) throws SQLException;
}
