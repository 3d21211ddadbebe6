package io.orchestrion.engine;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class EventFeedWindowPostgresIT extends EventFeedWindowContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.postgres();
  }
}
