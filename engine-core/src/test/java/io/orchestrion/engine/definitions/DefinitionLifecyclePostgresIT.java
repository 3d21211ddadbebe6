package io.orchestrion.engine.definitions;

import io.orchestrion.engine.testing.TestDatabaseKind;

class DefinitionLifecyclePostgresIT extends DefinitionLifecycleContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}
