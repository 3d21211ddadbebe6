package io.orchestrion.engine.persistence;

import io.orchestrion.engine.testing.TestDatabaseKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

class IdentityCachePostgresIT extends IdentityCacheContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }

  @Override
  protected long identityCache(Connection connection, String table) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT seqcache FROM pg_sequence WHERE seqrelid ="
                + " pg_get_serial_sequence(?, 'id')::regclass")) {
      select.setString(1, table);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  protected long expectedCache() {
    return 1;
  }
}
