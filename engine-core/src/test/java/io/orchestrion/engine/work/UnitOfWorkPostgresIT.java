package io.orchestrion.engine.work;

import io.orchestrion.engine.testing.TestDatabaseKind;

class UnitOfWorkPostgresIT extends UnitOfWorkContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}
