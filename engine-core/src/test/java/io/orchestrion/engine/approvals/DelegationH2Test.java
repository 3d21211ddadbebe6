package io.orchestrion.engine.approvals;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class DelegationH2Test extends DelegationContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}
