package io.orchestrion.engine.jobs;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class GroupCommitH2Test extends GroupCommitContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}
