package io.orchestrion.engine.approvals;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class DecisionPoliciesH2Test extends DecisionPoliciesContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}
