package io.orchestrion.engine.records;

import io.orchestrion.engine.testing.TestDatabaseKind;

class ObjectTypeServiceH2Test extends ObjectTypeServiceContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}
