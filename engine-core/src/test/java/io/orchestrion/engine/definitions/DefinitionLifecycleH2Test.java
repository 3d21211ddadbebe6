package io.orchestrion.engine.definitions;

import io.orchestrion.engine.testing.TestDatabaseKind;

class DefinitionLifecycleH2Test extends DefinitionLifecycleContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}
