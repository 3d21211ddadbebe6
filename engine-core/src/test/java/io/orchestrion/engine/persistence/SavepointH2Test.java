package io.orchestrion.engine.persistence;

import io.orchestrion.engine.testing.TestDatabaseKind;

class SavepointH2Test extends SavepointContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}
