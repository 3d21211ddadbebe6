package io.orchestrion.engine.events;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class DecisionNumberingH2Test extends DecisionNumberingContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}
