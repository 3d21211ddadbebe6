package io.orchestrion.engine.persistence;

import io.orchestrion.engine.testing.TestDatabaseKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

class IdentityCacheH2Test extends IdentityCacheContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }

  @Override
  protected long identityCache(Connection connection, String table) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA ="
                + " CURRENT_SCHEMA AND TABLE_NAME = ? AND COLUMN_NAME = 'ID'")) {
      select.setString(1, table.toUpperCase(Locale.ROOT));
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  protected long expectedCache() {
    return 1000;
  }
}
