package io.orchestrion.engine.events;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class DecisionNumberingPostgresIT extends DecisionNumberingContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.postgres();
  }
}
