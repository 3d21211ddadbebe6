package io.orchestrion.engine.definitions;

import io.orchestrion.engine.testing.TestDatabaseKind;

class DefinitionStorePostgresIT extends DefinitionStoreContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}
