package io.orchestrion.engine.definitions;

import io.orchestrion.engine.testing.TestDatabaseKind;

class DefinitionStoreH2Test extends DefinitionStoreContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}
