package io.orchestrion.engine.security;

import io.orchestrion.engine.testing.TestDatabaseKind;

class AccessMatrixH2Test extends AccessMatrixContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}
