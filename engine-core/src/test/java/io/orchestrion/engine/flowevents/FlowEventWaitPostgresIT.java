package io.orchestrion.engine.flowevents;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class FlowEventWaitPostgresIT extends FlowEventWaitContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.postgres();
  }
}
