package io.orchestrion.engine.events;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class EventSequencerH2Test extends EventSequencerContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}
