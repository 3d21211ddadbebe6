package io.orchestrion.engine.approvals;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class DecisionPoliciesPostgresIT extends DecisionPoliciesContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.postgres();
  }
}
