package io.orchestrion.engine.run;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class RunCacheH2Test extends RunCacheContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}
