package io.orchestrion.engine.work;

import io.orchestrion.engine.testing.TestDatabaseKind;

class CommandGroupsPostgresIT extends CommandGroupsContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}
