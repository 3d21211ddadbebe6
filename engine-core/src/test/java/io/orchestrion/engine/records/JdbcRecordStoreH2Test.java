package io.orchestrion.engine.records;

import io.orchestrion.engine.testing.TestDatabaseKind;

class JdbcRecordStoreH2Test extends JdbcRecordStoreContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}
