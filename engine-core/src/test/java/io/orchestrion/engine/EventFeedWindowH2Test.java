package io.orchestrion.engine;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class EventFeedWindowH2Test extends EventFeedWindowContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}
