package io.orchestrion.engine;

import java.sql.SQLException;

/** Recognises database errors by SQLSTATE, the same on H2 and PostgreSQL. */
final class SqlErrors {
  private SqlErrors() {}

  /** Whether {@code error} was caused by a unique constraint violation (SQLSTATE 23505). */
  static boolean isUniqueViolation(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
