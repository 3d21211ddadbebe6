package io.orchestrion.engine.persistence;

import io.orchestrion.engine.testing.TestDatabaseKind;

class DatabasePostgresIT extends DatabaseContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}
