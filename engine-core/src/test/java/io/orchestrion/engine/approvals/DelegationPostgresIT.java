package io.orchestrion.engine.approvals;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class DelegationPostgresIT extends DelegationContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.postgres();
  }
}
