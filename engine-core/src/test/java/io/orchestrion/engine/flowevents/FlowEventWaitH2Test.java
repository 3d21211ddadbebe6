package io.orchestrion.engine.flowevents;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class FlowEventWaitH2Test extends FlowEventWaitContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}
