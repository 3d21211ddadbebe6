package io.orchestrion.engine.work;

import io.orchestrion.engine.testing.TestDatabaseKind;

class CommandGroupsH2Test extends CommandGroupsContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}
