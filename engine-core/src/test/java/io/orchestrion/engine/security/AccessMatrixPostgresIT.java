package io.orchestrion.engine.security;

import io.orchestrion.engine.testing.TestDatabaseKind;

class AccessMatrixPostgresIT extends AccessMatrixContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}
