package io.orchestrion.engine.records;

import io.orchestrion.engine.testing.TestDatabaseKind;

class ObjectTypeServicePostgresIT extends ObjectTypeServiceContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}
