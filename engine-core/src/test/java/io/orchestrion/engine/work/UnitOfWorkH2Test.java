package io.orchestrion.engine.work;

import io.orchestrion.engine.testing.TestDatabaseKind;

class UnitOfWorkH2Test extends UnitOfWorkContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}
