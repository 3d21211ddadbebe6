package io.orchestrion.engine.persistence;

import io.orchestrion.engine.testing.TestDatabaseKind;

class SavepointPostgresIT extends SavepointContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}
