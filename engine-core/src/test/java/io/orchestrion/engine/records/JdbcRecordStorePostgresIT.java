package io.orchestrion.engine.records;

import io.orchestrion.engine.testing.TestDatabaseKind;

class JdbcRecordStorePostgresIT extends JdbcRecordStoreContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}
