package io.orchestrion.engine.escalation;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class EscalationH2Test extends EscalationContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}
