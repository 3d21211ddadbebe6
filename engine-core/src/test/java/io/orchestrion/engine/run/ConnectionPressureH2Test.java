package io.orchestrion.engine.run;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class ConnectionPressureH2Test extends ConnectionPressureContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}
