package io.orchestrion.engine.persistence;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings every identity column's generator of an H2 database past the rows it holds. After the
 * process was killed, H2 can restart an identity generator below values that committed rows already
 * use (seen in the crash test: events inserted after the restart failed on the events primary key).
 * Run at start, after the migrations: it only ever moves a generator forward, so a second engine on
 * the same database (tests) loses nothing it has already handed out.
 */
final class H2Identities {
  private static final Logger log = LoggerFactory.getLogger(H2Identities.class);

  private H2Identities() {}

  static void catchUp(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      for (Identity identity : identities(connection)) {
        long next = maximum(connection, identity) + 1;
        if (identity.base() < next) {
          try (Statement statement = connection.createStatement()) {
            statement.execute(
                "ALTER TABLE \"%s\" ALTER COLUMN \"%s\" RESTART WITH %d"
                    .formatted(identity.table(), identity.column(), next));
          }
          log.warn(
              "The identity generator of {}.{} was at {}, behind rows up to {}; it now starts at {}"
                  + " (H2 after an abrupt stop)",
              identity.table(),
              identity.column(),
              identity.base(),
              next - 1,
              next);
        }
      }
    } catch (SQLException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "Checking the H2 identity generators failed: " + e.getMessage(),
          e);
    }
  }

  private record Identity(String table, String column, long base) {}

  private static List<Identity> identities(Connection connection) throws SQLException {
    List<Identity> identities = new ArrayList<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT TABLE_NAME, COLUMN_NAME, IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS"
                    + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND IS_IDENTITY = 'YES'");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        identities.add(new Identity(rs.getString(1), rs.getString(2), rs.getLong(3)));
      }
    }
    return identities;
  }

  private static long maximum(Connection connection, Identity identity) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT COALESCE(MAX(\"%s\"), 0) FROM \"%s\""
                    .formatted(identity.column(), identity.table()))) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
