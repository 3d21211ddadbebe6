package io.orchestrion.engine.persistence;

import io.orchestrion.engine.testing.TestDatabaseKind;

class DatabaseH2Test extends DatabaseContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}
